//! Decoding JWTs without verifying: valid Convex Auth tokens and every kind of malformed input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use convex_auth_wasm::core::shared::error::{ErrorKind, TokenPart};
use convex_auth_wasm::core::shared::token::{
    Audience, DEFAULT_MAX_TOKEN_BYTES, decode, split_subject,
};
use helper::{b64, convex_payload, jwt};
use proptest::prelude::*;

const HEADER: &str = r#"{"alg":"RS256"}"#;

fn code_of(token: &str) -> &'static str {
    decode(token, DEFAULT_MAX_TOKEN_BYTES).unwrap_err().code()
}

fn malformed_part(token: &str) -> TokenPart {
    match decode(token, DEFAULT_MAX_TOKEN_BYTES).unwrap_err().kind() {
        ErrorKind::JwtMalformed { part, .. } => *part,
        other => panic!("expected JwtMalformed, got {other:?}"),
    }
}

#[test]
fn decodes_a_convex_auth_token() {
    let token = jwt(HEADER, &convex_payload(1_700_000_000, 1_700_003_600));
    let t = decode(&token, DEFAULT_MAX_TOKEN_BYTES).unwrap();
    assert_eq!(t.header.alg, "RS256");
    assert_eq!(t.header.kid, None);
    assert_eq!(
        t.claims.iss.as_deref(),
        Some("https://happy-otter-123.convex.site")
    );
    assert_eq!(t.claims.aud, Some(Audience::One("convex".into())));
    assert_eq!(
        (t.claims.iat, t.claims.exp),
        (Some(1_700_000_000), Some(1_700_003_600))
    );
    let sub = t.subject().unwrap();
    assert_eq!(
        (sub.user_id, sub.session_id),
        ("user123", Some("session456"))
    );
    assert_eq!(t.remaining_lifetime(1_700_003_000), Some(600));
    assert_eq!(t.remaining_lifetime(1_700_003_601), Some(-1));
    assert_eq!(t.issued_lifetime(), Some(3600));
    assert_eq!(t.signature, b"sig");
    assert_eq!(
        token.get(..t.signing_input_len).unwrap(),
        token.rsplit_once('.').unwrap().0
    );
}

#[test]
fn keeps_custom_claims_and_header_parameters() {
    let token = jwt(
        r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#,
        r#"{"sub":"u","exp":10,"aud":["convex","x"],"role":"admin","n":{"a":[1]}}"#,
    );
    let t = decode(&token, DEFAULT_MAX_TOKEN_BYTES).unwrap();
    assert_eq!(t.header.kid.as_deref(), Some("k1"));
    assert_eq!(t.header.typ.as_deref(), Some("JWT"));
    assert_eq!(
        t.claims.raw.get("role").and_then(|r| r.as_str()),
        Some("admin")
    );
    let n = t
        .claims
        .raw
        .get("n")
        .and_then(|n| n.get("a"))
        .and_then(|a| a.as_array());
    assert_eq!(n.and_then(|a| a.first()).and_then(|v| v.as_i64()), Some(1));
    assert_eq!(
        t.payload_json,
        r#"{"sub":"u","exp":10,"aud":["convex","x"],"role":"admin","n":{"a":[1]}}"#
    );
    assert_eq!(
        t.claims.aud.as_ref().unwrap().iter().collect::<Vec<_>>(),
        ["convex", "x"]
    );
    assert_eq!(t.subject().unwrap().session_id, None);
}

#[test]
fn fractional_numeric_dates_are_floored() {
    let t = decode(
        &jwt(HEADER, r#"{"exp":100.9,"iat":1e2}"#),
        DEFAULT_MAX_TOKEN_BYTES,
    )
    .unwrap();
    assert_eq!((t.claims.exp, t.claims.iat), (Some(100), Some(100)));
}

#[test]
fn splits_subject_at_the_first_pipe() {
    let s = split_subject("a|b|c");
    assert_eq!((s.user_id, s.session_id), ("a", Some("b|c")));
}

#[test]
fn size_is_checked_before_parsing() {
    let huge = "x".repeat(1 << 20);
    let err = decode(&huge, DEFAULT_MAX_TOKEN_BYTES).unwrap_err();
    assert_eq!(err.code(), "ERR_JWT_TOO_LARGE");
    assert!(matches!(
        err.kind(),
        ErrorKind::JwtTooLarge {
            size: 1_048_576,
            limit: 8192
        }
    ));
    let token = jwt(HEADER, &convex_payload(1, 2));
    assert_eq!(
        decode(&token, token.len() - 1).unwrap_err().code(),
        "ERR_JWT_TOO_LARGE"
    );
    assert!(decode(&token, token.len()).is_ok());
}

#[test]
fn segment_count_and_empty_segments() {
    let good = jwt(HEADER, &convex_payload(1, 2));
    let (h, rest) = good.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    assert_eq!(malformed_part(".."), TokenPart::Header);
    for bad in [
        "",
        ".",
        "a",
        "a.b",
        &format!("{h}.{p}"),
        &format!("{good}.x"),
        &format!("{good}."),
    ] {
        assert_eq!(malformed_part(bad), TokenPart::Token, "{bad:?}");
    }
    assert_eq!(malformed_part(&format!(".{p}.{s}")), TokenPart::Header);
    assert_eq!(malformed_part(&format!("{h}..{s}")), TokenPart::Payload);
    assert_eq!(malformed_part(&format!("{h}.{p}.")), TokenPart::Signature);
}

#[test]
fn base64_must_be_canonical_unpadded_url_safe() {
    let payload = convex_payload(1, 2);
    let p = b64(payload.as_bytes());
    let h = b64(HEADER.as_bytes());
    // Padding, the standard alphabet, whitespace and non-zero trailing bits are all refused.
    assert_eq!(malformed_part(&format!("{h}=.{p}.c2ln")), TokenPart::Header);
    assert_eq!(
        malformed_part(&format!("{h}.{p}.c2ln=")),
        TokenPart::Signature
    );
    assert_eq!(
        malformed_part(&format!("{h}.{p}.ab+/")),
        TokenPart::Signature
    );
    assert_eq!(
        malformed_part(&format!("{h}.{p} .c2ln")),
        TokenPart::Payload
    );
    // "s" is "cw"; "cx" decodes to the same byte with non-zero trailing bits.
    assert!(decode(&format!("{h}.{p}.cw"), DEFAULT_MAX_TOKEN_BYTES).is_ok());
    assert_eq!(malformed_part(&format!("{h}.{p}.cx")), TokenPart::Signature);
    assert_eq!(malformed_part(&format!("{h}.{p}.a")), TokenPart::Signature);
}

#[test]
fn json_must_be_an_object_without_duplicates() {
    for header in [
        "[]",
        "null",
        "\"RS256\"",
        "{",
        r#"{"alg":"RS256","alg":"none"}"#,
        r#"{"alg":1}"#,
        "{}",
        r#"{"alg":"RS256","kid":7}"#,
    ] {
        assert_eq!(
            malformed_part(&jwt(header, "{}")),
            TokenPart::Header,
            "{header}"
        );
    }
    for payload in [
        "[]",
        "1",
        "{\"a\":",
        r#"{"exp":1,"exp":2}"#,
        "{\"a\":1}trailing",
        "\u{feff}{}",
    ] {
        assert_eq!(
            malformed_part(&jwt(HEADER, payload)),
            TokenPart::Payload,
            "{payload}"
        );
    }
    let not_utf8 = format!(
        "{}.{}.c2ln",
        b64(HEADER.as_bytes()),
        b64(&[0x7b, 0xff, 0x7d])
    );
    assert_eq!(malformed_part(&not_utf8), TokenPart::Payload);
}

#[test]
fn registered_claims_have_types() {
    let cases = [
        (r#"{"exp":"1700000000"}"#, "exp"),
        (r#"{"exp":null}"#, "exp"),
        (r#"{"exp":-1}"#, "exp"),
        (r#"{"exp":1e300}"#, "exp"),
        (r#"{"iat":true}"#, "iat"),
        (r#"{"nbf":[1]}"#, "nbf"),
        (r#"{"sub":42}"#, "sub"),
        (r#"{"iss":{}}"#, "iss"),
        (r#"{"aud":1}"#, "aud"),
        (r#"{"aud":["convex",1]}"#, "aud"),
    ];
    for (payload, claim) in cases {
        let err = decode(&jwt(HEADER, payload), DEFAULT_MAX_TOKEN_BYTES).unwrap_err();
        assert_eq!(err.code(), "ERR_JWT_CLAIM_INVALID", "{payload}");
        match err.kind() {
            ErrorKind::ClaimInvalid { claim: c, .. } => assert_eq!(*c, claim),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        code_of(&jwt(HEADER, r#"{"exp":"soon"}"#)),
        "ERR_JWT_CLAIM_INVALID"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,300}") {
        let _ = decode(&s, DEFAULT_MAX_TOKEN_BYTES);
    }

    #[test]
    fn arbitrary_segments_never_panic(h in proptest::collection::vec(any::<u8>(), 0..64),
                                      p in proptest::collection::vec(any::<u8>(), 0..64),
                                      s in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = decode(&format!("{}.{}.{}", b64(&h), b64(&p), b64(&s)), DEFAULT_MAX_TOKEN_BYTES);
    }

    #[test]
    fn arbitrary_json_claims_never_panic(payload in r#"\{("[a-z]{1,3}":(-?[0-9]{1,25}(\.[0-9]{1,5})?(e[0-9]{1,3})?|"[a-z|]{0,5}"|null|true|\[\]),?){0,6}\}"#) {
        let _ = decode(&jwt(HEADER, &payload), DEFAULT_MAX_TOKEN_BYTES);
    }

    #[test]
    fn round_trips_any_convex_claims(iat in 0i64..4_000_000_000, life in 1i64..100_000, now in 0i64..4_000_000_000) {
        let t = decode(&jwt(HEADER, &convex_payload(iat, iat + life)), DEFAULT_MAX_TOKEN_BYTES).unwrap();
        prop_assert_eq!(t.issued_lifetime(), Some(life));
        prop_assert_eq!(t.remaining_lifetime(now), Some(iat + life - now));
    }
}
