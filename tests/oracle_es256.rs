//! Differential test for Convex Auth 2 tokens: the shipped verifier (strict decoder, the
//! generation's policy, the `p256` check) against `jsonwebtoken`'s ES256 as an oracle, on a
//! corpus signed with a test P-256 key. Both must agree, except where this verifier is
//! deliberately stricter — each such case names its reason, and the test checks that the two
//! really differ there. Also: the generation is decided by the configuration, never the token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(all(feature = "es256", not(target_arch = "wasm32")))]

mod helper;

use convex_auth_wasm::core::edge::generation::{Generation, SubjectNames};
use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::edge::verify::verify;
use convex_auth_wasm::core::shared::error::Error;
use helper::b64;
use helper::oracle::{Case, compare, sign_text, system_now};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde_json::{Value, json};

const CLOUD: &str = "https://happy-otter-123.convex.cloud";
const PEM: &str = include_str!("fixtures/test-ec-p256.pem");
const JWKS: &str = include_str!("fixtures/test-ec-p256.jwks.json");
const RSA_PEM: &str = include_str!("fixtures/test-rsa-2048.pem");
const HEADER: &str = r#"{"alg":"ES256","typ":"JWT","kid":"test-ec"}"#;
/// The group order of P-256.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `n - s` as 32 bytes (the malleated twin of a valid signature's `s`).
fn negate(s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(s[i]) - borrow;
        out[i] = d.rem_euclid(256) as u8;
        borrow = i16::from(d < 0);
    }
    out
}

fn claims(now: i64, changes: Value) -> Value {
    let mut claims = json!({
        "sub": "session456", "aud": "convex-auth", "jti": "8b0c1d2e-0000-4000-8000-000000000001",
        "iss": format!("{CLOUD}/components/auth"), "iat": now, "exp": now + 60,
    });
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

fn corpus(now: i64) -> Vec<Case> {
    let key = EncodingKey::from_ec_pem(PEM.as_bytes()).unwrap();
    let signed = |changes: Value| {
        sign_text(
            HEADER,
            &claims(now, changes).to_string(),
            Algorithm::ES256,
            &key,
        )
    };
    let valid = signed(json!({}));
    let [h, p, s]: [&str; 3] = valid.split('.').collect::<Vec<_>>().try_into().unwrap();
    let sig = helper::decode_b64(s).unwrap();
    let with_sig = |bytes: &[u8]| format!("{h}.{p}.{}", b64(bytes));
    let forged = claims(now, json!({ "sub": "someone-else" })).to_string();
    let mut flipped = sig.clone();
    flipped[40] ^= 1;
    let high_s = [&sig[..32], &negate(&sig[32..])].concat();
    let rsa = EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
    let hmac = EncodingKey::from_secret(JWKS.as_bytes()).unwrap();
    let text = claims(now, json!({})).to_string();
    let mut cases: Vec<Case> = vec![
        ("valid Convex Auth 2 token", valid.clone(), None),
        (
            "expired a minute ago",
            signed(json!({ "exp": now - 60 })),
            None,
        ),
        (
            "expired within the tolerance",
            signed(json!({ "exp": now - 2 })),
            None,
        ),
        ("the 0.x audience", signed(json!({ "aud": "convex" })), None),
        (
            "issuer without /components/auth",
            signed(json!({ "iss": CLOUD })),
            None,
        ),
        ("no exp", signed(json!({ "exp": null })), None),
        ("no sub", signed(json!({ "sub": null })), None),
        (
            "payload swapped, signature kept",
            format!("{h}.{}.{s}", b64(forged.as_bytes())),
            None,
        ),
        ("one signature bit flipped", with_sig(&flipped), None),
        ("the malleated twin (r, n - s)", with_sig(&high_s), None),
        ("r = s = 0", with_sig(&[0; 64]), None),
        (
            "r = 0",
            with_sig(&[&[0; 32][..], &sig[32..]].concat()),
            None,
        ),
        ("s = n", with_sig(&[&sig[..32], &N[..]].concat()), None),
        ("signature truncated to 63 bytes", with_sig(&sig[1..]), None),
        ("signature removed", format!("{h}.{p}."), None),
        (
            "alg none",
            format!("{}.{p}.", b64(br#"{"alg":"none","kid":"test-ec"}"#)),
            None,
        ),
        (
            "HS256 signed with the public JWKS as the secret",
            sign_text(
                r#"{"alg":"HS256","kid":"test-ec"}"#,
                &text,
                Algorithm::HS256,
                &hmac,
            ),
            None,
        ),
        (
            "RS256 by another key, same claims",
            sign_text(
                r#"{"alg":"RS256","kid":"test-ec"}"#,
                &text,
                Algorithm::RS256,
                &rsa,
            ),
            None,
        ),
    ];
    // Deliberately stricter than jsonwebtoken, each for a stated reason.
    let der = {
        let int = |b: &[u8]| {
            let b = &b[b.iter().position(|x| *x != 0).unwrap_or(31)..];
            let pad = b[0] & 0x80 != 0;
            let mut out = vec![0x02, (b.len() + usize::from(pad)) as u8];
            if pad {
                out.push(0);
            }
            out.extend_from_slice(b);
            out
        };
        let body = [int(&sig[..32]), int(&sig[32..])].concat();
        [vec![0x30, body.len() as u8], body].concat()
    };
    cases.push(("the signature DER-encoded", with_sig(&der), None));
    cases.push((
        "kid the key set does not have",
        sign_text(r#"{"alg":"ES256","typ":"JWT","kid":"other"}"#, &text, Algorithm::ES256, &key),
        Some("a token naming a kid is checked only against the key with that kid (the oracle is handed the key directly)"),
    ));
    cases.push((
        "iat a minute in the future",
        signed(json!({ "iat": now + 60 })),
        Some("a token issued in the future beyond the clock tolerance comes from a skewed or forged clock"),
    ));
    cases
}

fn oracle(token: &str, jwk: &Value) -> Result<(), String> {
    let key =
        DecodingKey::from_ec_components(jwk["x"].as_str().unwrap(), jwk["y"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.leeway = 5;
    validation.set_issuer(&[format!("{CLOUD}/components/auth")]);
    validation.set_audience(&["convex-auth"]);
    validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

#[test]
fn the_es256_verifier_agrees_with_jsonwebtoken_except_where_it_is_deliberately_stricter() {
    let now = system_now();
    let keys = KeySet::parse(JWKS).unwrap();
    let jwk: Value = serde_json::from_str::<Value>(JWKS).unwrap()["keys"][0].clone();
    let policy = Generation::V2.policy(CLOUD);
    let cases = corpus(now);
    let ours = |token: &str| {
        verify(token, &keys, &policy, now)
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    };
    let report = compare(&cases, ours, |token| oracle(token, &jwk));
    assert_eq!(report.len(), 2, "the deliberate differences: {report:#?}");
    let accepted = cases
        .iter()
        .filter(|(_, t, _)| verify(t, &keys, &policy, now).is_ok())
        .count();
    assert_eq!(
        accepted, 3,
        "valid, within the tolerance, and the malleated twin"
    );
}

fn code_of<T: std::fmt::Debug>(result: Result<T, Error>) -> &'static str {
    result.unwrap_err().code()
}

#[test]
fn the_generation_comes_from_the_configuration_and_a_token_of_the_other_is_refused_by_name() {
    let now = system_now();
    let key = EncodingKey::from_ec_pem(PEM.as_bytes()).unwrap();
    let rsa = EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap();
    let v2_token = sign_text(
        HEADER,
        &claims(now, json!({})).to_string(),
        Algorithm::ES256,
        &key,
    );
    let site = "https://happy-otter-123.convex.site";
    let v0_claims =
        json!({ "sub": "u|s", "iss": site, "aud": "convex", "iat": now, "exp": now + 60 });
    let v0_token = sign_text(
        r#"{"alg":"RS256"}"#,
        &v0_claims.to_string(),
        Algorithm::RS256,
        &rsa,
    );
    let ec_keys = KeySet::parse(JWKS).unwrap();
    let rsa_keys = KeySet::parse(include_str!("fixtures/test-rsa-2048.jwks.json")).unwrap();
    // A 0.x verifier given a Convex Auth 2 token, and the reverse.
    let v0 = Generation::V0.policy(site);
    assert_eq!(
        code_of(verify(&v2_token, &rsa_keys, &v0, now)),
        "ERR_JWT_GENERATION_MISMATCH"
    );
    let v2 = Generation::V2.policy(CLOUD);
    assert_eq!(
        code_of(verify(&v0_token, &ec_keys, &v2, now)),
        "ERR_JWT_GENERATION_MISMATCH"
    );
    // The same verifiers accept their own generation's tokens.
    assert!(verify(&v2_token, &ec_keys, &v2, now).is_ok());
    assert!(verify(&v0_token, &rsa_keys, &v0, now).is_ok());
    // A policy not made for a generation (Policy::new) keeps 0.x's algorithm error.
    let plain = convex_auth_wasm::core::edge::policy::Policy::new(site);
    assert_eq!(
        code_of(verify(&v2_token, &rsa_keys, &plain, now)),
        "ERR_JWT_ALG_NOT_ALLOWED"
    );
    // Allowing the other algorithm makes it an ordinary token again (here: no key for it).
    let mut both = Generation::V0.policy(site);
    both.algorithms
        .push(convex_auth_wasm::core::edge::algorithm::Algorithm::ES256);
    assert_eq!(
        code_of(verify(&v2_token, &rsa_keys, &both, now)),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
    // What `sub` names follows the configuration.
    assert_eq!(
        SubjectNames::of(Some(Generation::V2)),
        SubjectNames::Session
    );
    assert_eq!(
        SubjectNames::of(Some(Generation::V0)),
        SubjectNames::UserAndSession
    );
    assert_eq!(SubjectNames::of(None), SubjectNames::UserAndSession);
}
