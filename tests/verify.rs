//! The verification policy, the verified-token cache, JWKS parsing and request token lookup —
//! natively, with the clock passed in. (Signatures are cross-checked against node:crypto in the
//! JS suite, with real RSA keys.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(all(not(target_arch = "wasm32"), feature = "edge"))]

mod helper;

use convex_auth_wasm::core::edge::cache::VerifiedCache;
use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::edge::policy::{Policy, check_claims, valid_until};
use convex_auth_wasm::core::edge::request::{bearer_token, jwt_cookie_name, token_from_request};
use convex_auth_wasm::core::edge::verify::verify;
use convex_auth_wasm::core::edge::{EdgeError, JwksProblem};
use convex_auth_wasm::core::shared::cookies::request_host;
use convex_auth_wasm::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, decode};
use helper::{b64, convex_payload, jwt};

const SITE: &str = "https://happy-otter-123.convex.site";
const NOW: i64 = 1_700_000_000;

fn claims_code(payload: &str, policy: &Policy, now: i64) -> Option<&'static str> {
    let token = decode(&jwt(r#"{"alg":"RS256"}"#, payload), DEFAULT_MAX_TOKEN_BYTES).unwrap();
    check_claims(&token, policy, now).err().map(|e| e.code())
}

fn rsa_jwks(bits: usize, extra: &str) -> String {
    let mut n = vec![0xc5u8; bits / 8];
    n[bits / 8 - 1] |= 1;
    format!(
        r#"{{"keys":[{{"use":"sig","kty":"RSA","n":"{}","e":"AQAB"{extra}}}]}}"#,
        b64(&n)
    )
}

#[test]
fn claims_pass_for_a_fresh_convex_token() {
    assert_eq!(
        claims_code(&convex_payload(NOW, NOW + 3600), &Policy::new(SITE), NOW),
        None
    );
}

#[test]
fn expiry_honours_the_tolerance_exactly() {
    let policy = Policy::new(SITE); // tolerance 5
    let payload = convex_payload(NOW - 3600, NOW);
    assert_eq!(claims_code(&payload, &policy, NOW + 4), None);
    assert_eq!(
        claims_code(&payload, &policy, NOW + 5),
        Some("ERR_JWT_EXPIRED")
    );
}

#[test]
fn future_iat_and_nbf_beyond_tolerance_are_refused() {
    let policy = Policy::new(SITE);
    assert_eq!(
        claims_code(&convex_payload(NOW + 5, NOW + 3600), &policy, NOW),
        None
    );
    assert_eq!(
        claims_code(&convex_payload(NOW + 6, NOW + 3600), &policy, NOW),
        Some("ERR_JWT_NOT_YET_VALID")
    );
    let nbf = format!(
        r#"{{"sub":"u|s","iss":"{SITE}","aud":"convex","exp":{},"nbf":{}}}"#,
        NOW + 60,
        NOW + 6
    );
    assert_eq!(
        claims_code(&nbf, &policy, NOW),
        Some("ERR_JWT_NOT_YET_VALID")
    );
}

#[test]
fn max_token_age_and_the_cache_deadline() {
    let mut policy = Policy::new(SITE);
    policy.max_token_age = Some(60);
    let payload = convex_payload(NOW, NOW + 3600);
    assert_eq!(claims_code(&payload, &policy, NOW + 65), None);
    assert_eq!(
        claims_code(&payload, &policy, NOW + 66),
        Some("ERR_JWT_TOO_OLD")
    );
    let token = decode(
        &jwt(r#"{"alg":"RS256"}"#, &payload),
        DEFAULT_MAX_TOKEN_BYTES,
    )
    .unwrap();
    assert_eq!(
        valid_until(&token, &policy),
        NOW + 66,
        "the cache forgets it when check_claims would fail"
    );
    policy.max_token_age = None;
    assert_eq!(valid_until(&token, &policy), NOW + 3605);
}

#[test]
fn issuer_is_exact_up_to_one_trailing_slash_and_advises_on_cloud() {
    let policy = Policy::new(&format!("{SITE}/"));
    assert_eq!(
        claims_code(&convex_payload(NOW, NOW + 60), &policy, NOW),
        None
    );
    let cloud = convex_payload(NOW, NOW + 60).replace("convex.site", "convex.cloud");
    let token = decode(&jwt(r#"{"alg":"RS256"}"#, &cloud), DEFAULT_MAX_TOKEN_BYTES).unwrap();
    let err = check_claims(&token, &policy, NOW).unwrap_err();
    assert!(
        err.to_string()
            .contains("the issuer is always the .convex.site URL"),
        "{err}"
    );
    assert!(
        matches!(err.edge(), Some(EdgeError::IssuerMismatch { expected, .. }) if expected == SITE)
    );
}

#[test]
fn alg_outside_the_allow_list_is_refused_before_key_selection() {
    let keys = KeySet::parse(&rsa_jwks(2048, "")).unwrap();
    for alg in ["none", "HS256", "ES256", "RS384", "rs256"] {
        let token = jwt(
            &format!(r#"{{"alg":"{alg}"}}"#),
            &convex_payload(NOW, NOW + 60),
        );
        let err = verify(&token, &keys, &Policy::new(SITE), NOW).unwrap_err();
        assert_eq!(err.code(), "ERR_JWT_ALG_NOT_ALLOWED", "{alg}");
    }
    let token = jwt(
        r#"{"alg":"RS256","kid":"k9"}"#,
        &convex_payload(NOW, NOW + 60),
    );
    assert_eq!(
        verify(&token, &keys, &Policy::new(SITE), NOW)
            .unwrap_err()
            .code(),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
    let token = jwt(r#"{"alg":"RS256"}"#, &convex_payload(NOW, NOW + 60));
    assert_eq!(
        verify(&token, &keys, &Policy::new(SITE), NOW)
            .unwrap_err()
            .code(),
        "ERR_JWT_SIGNATURE_INVALID"
    );
}

#[test]
fn a_forged_header_is_not_reported_back_beyond_registered_names_and_plain_key_ids() {
    let keys = KeySet::parse(&rsa_jwks(2048, "")).unwrap();
    let message = |header: &str| {
        let token = jwt(header, &convex_payload(NOW, NOW + 60));
        verify(&token, &keys, &Policy::new(SITE), NOW)
            .unwrap_err()
            .to_string()
    };
    // What says what to configure is shown…
    assert!(message(r#"{"alg":"ES256"}"#).contains("\"ES256\""));
    assert!(message(r#"{"alg":"RS256","kid":"key-2024.1"}"#).contains("\"key-2024.1\""));
    // …the forger's own text is not.
    for (header, forged) in [
        (r#"{"alg":"<img src=x onerror=alert(1)>"}"#, "<img"),
        (r#"{"alg":"RS256","kid":"k\n[error] log line"}"#, "log line"),
        (
            r#"{"alg":"RS256","crit":["made-up-extension"]}"#,
            "made-up-extension",
        ),
    ] {
        let text = message(header);
        assert!(!text.contains(forged), "{header}: {text}");
    }
}

#[test]
fn jwks_parsing_rules() {
    let set = KeySet::parse(&rsa_jwks(2048, "")).unwrap();
    assert_eq!(set.keys().len(), 1);
    assert_eq!(set.keys()[0].rsa().unwrap().bits(), 2048);
    assert_eq!(
        KeySet::parse(&rsa_jwks(2048, "")).unwrap().id(),
        set.id(),
        "same keys, same id"
    );
    assert_ne!(KeySet::parse(&rsa_jwks(3072, "")).unwrap().id(), set.id());
    let problem = |json: &str| match KeySet::parse(json).unwrap_err().edge() {
        Some(EdgeError::JwksInvalid { problem }) => problem.clone(),
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        problem(&rsa_jwks(1024, "")),
        JwksProblem::RsaKeySize { bits: 1024, .. }
    ));
    assert!(matches!(
        problem(&rsa_jwks(16384, "")),
        JwksProblem::RsaKeySize { .. }
    ));
    assert!(matches!(problem("{}"), JwksProblem::NoKeysArray));
    assert!(matches!(
        problem(r#"{"keys":[]}"#),
        JwksProblem::NoUsableKey
    ));
    assert!(matches!(
        problem(r#"{"keys":[],"keys":[]}"#),
        JwksProblem::NotJson(_)
    ));
    assert!(matches!(problem("[]"), JwksProblem::NotJson(_)));
    assert!(matches!(
        problem(&rsa_jwks(2048, "").replace("AQAB", "AQAA")),
        JwksProblem::RsaExponent { .. }
    ));
    assert!(matches!(
        problem(&" ".repeat(300_000)),
        JwksProblem::TooLarge(_)
    ));
    // Encryption and non-RSA keys are skipped, not fatal, when a usable key remains.
    let mixed = rsa_jwks(2048, "").replace(
        r#"{"keys":["#,
        r#"{"keys":[{"kty":"EC","crv":"P-256"},{"kty":"RSA","use":"enc","n":"AA","e":"AQAB"},"#,
    );
    assert_eq!(KeySet::parse(&mixed).unwrap().keys().len(), 1);
}

#[test]
fn cache_rechecks_deadline_bounds_size_and_forgets_on_key_change() {
    let mut cache = VerifiedCache::new(2);
    cache.insert("a", 1, 7, NOW + 10);
    assert_eq!(cache.get("a", 7, NOW + 9), Some(&1));
    assert_eq!(
        cache.get("a", 7, NOW + 10),
        None,
        "expired entries are dropped on hit"
    );
    assert!(cache.is_empty());
    cache.insert("a", 1, 7, NOW + 10);
    cache.insert("b", 2, 7, NOW + 10);
    cache.insert("c", 3, 7, NOW + 10);
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.get("a", 7, NOW), None, "oldest evicted");
    assert_eq!(cache.get("c", 7, NOW), Some(&3));
    assert_eq!(
        cache.get("c", 8, NOW),
        None,
        "a new key set forgets everything"
    );
    assert!(cache.is_empty());
    assert_eq!(cache.get("c\0", 8, NOW), None);
    let mut off = VerifiedCache::new(0);
    off.insert("a", 1, 7, NOW + 10);
    assert_eq!(off.get("a", 7, NOW), None);
    // Churn with expiries never grows past the bound.
    let mut churn = VerifiedCache::new(3);
    for i in 0..1000 {
        churn.insert(&i.to_string(), i, 1, NOW + 1);
        let _ = churn.get(&i.to_string(), 1, NOW + 2);
    }
    assert!(churn.len() <= 3);
}

#[test]
fn the_cache_generation_moves_whenever_entries_are_dropped() {
    let mut cache = VerifiedCache::new(4);
    cache.insert("a", 1, 7, NOW + 10);
    let first = cache.generation();
    assert_eq!(cache.len(), 1);
    cache.follow_key_set(7);
    assert_eq!(cache.generation(), first, "the same key set keeps it");
    cache.follow_key_set(8);
    assert!(cache.generation() > first, "a rotation moves it");
    assert_eq!(cache.len(), 0, "its entries are gone");
    let rotated = cache.generation();
    cache.clear();
    assert!(cache.generation() > rotated, "a clear moves it");
}

#[test]
fn request_tokens_bearer_then_cookie_by_host() {
    assert_eq!(bearer_token("Bearer abc"), Some("abc"));
    assert_eq!(bearer_token("bearer  abc "), Some("abc"));
    assert_eq!(bearer_token("Basic abc"), None);
    assert_eq!(bearer_token("Bearer "), None);
    // Named exactly as @convex-dev/auth/nextjs/server names them, from the Host header.
    for (host, name) in [
        ("app.example", "__Host-__convexAuthJWT"),
        ("localhost:3000", "__convexAuthJWT"),
        ("127.0.0.1:3000", "__convexAuthJWT"),
        ("localhost", "__Host-__convexAuthJWT"),
        ("[::1]:3000", "__Host-__convexAuthJWT"),
        ("127.0.0.2:3000", "__Host-__convexAuthJWT"),
        ("app.localhost:3000", "__convexAuthJWT"),
    ] {
        assert_eq!(jwt_cookie_name(host), name, "{host}");
    }
    assert_eq!(
        request_host(Some("localhost:3000"), "https://x/"),
        "localhost:3000"
    );
    assert_eq!(
        request_host(None, "http://127.0.0.1:8080/a"),
        "127.0.0.1:8080"
    );
    assert_eq!(
        request_host(Some(" "), "https://app.example/a"),
        "app.example"
    );
    let cookies = "a=1; __convexAuthJWT=local; __Host-__convexAuthJWT=secure";
    assert_eq!(
        token_from_request(None, Some(cookies), "app.example").as_deref(),
        Some("secure")
    );
    assert_eq!(
        token_from_request(None, Some(cookies), "localhost:3000").as_deref(),
        Some("local")
    );
    assert_eq!(
        token_from_request(Some("Bearer b"), Some(cookies), "app.example").as_deref(),
        Some("b")
    );
    assert_eq!(
        token_from_request(None, Some("__convexAuthJWT=x"), "app.example"),
        None
    );
    assert_eq!(
        token_from_request(None, Some("__Host-__convexAuthJWT="), "app.example"),
        None
    );
    assert_eq!(token_from_request(None, None, "app.example"), None);
}

#[test]
fn the_options_configure_one_generation_and_name_the_other_option_when_it_fits() {
    use convex_auth_wasm::core::edge::generation::{Generation, configured};
    use convex_auth_wasm::core::shared::error::ErrorKind;
    let problem = |site: Option<&str>, cloud: Option<&str>| {
        let err = configured(site, cloud).unwrap_err();
        match err.kind() {
            ErrorKind::ConfigInvalid { option, .. } => (*option, err.to_string()),
            other => panic!("{other:?}"),
        }
    };
    let (v0, base) = configured(Some("https://a-1.convex.site"), None).unwrap();
    assert_eq!(
        (v0, base.as_str()),
        (Generation::V0, "https://a-1.convex.site")
    );
    let (v2, base) = configured(None, Some("https://a-1.convex.cloud/")).unwrap();
    assert_eq!(
        (v2, base.as_str()),
        (Generation::V2, "https://a-1.convex.cloud")
    );

    let (option, message) = problem(None, None);
    assert_eq!(option, "siteUrl");
    assert!(
        message.contains("siteUrl") && message.contains("convexUrl"),
        "{message}"
    );
    let (option, message) = problem(
        Some("https://a-1.convex.site"),
        Some("https://a-1.convex.cloud"),
    );
    assert_eq!(option, "convexUrl");
    assert!(message.contains("not both"), "{message}");
    // A cloud URL as siteUrl: the 0.x fix (its site URL) and the Convex Auth 2 one (convexUrl).
    let err = configured(Some("https://a-1.convex.cloud"), None).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("https://a-1.convex.site") && message.contains("as convexUrl"),
        "{message}"
    );
    match err.kind() {
        ErrorKind::ConfigInvalid {
            option, problem, ..
        } => {
            assert_eq!(
                (*option, problem.suggestion()),
                ("siteUrl", Some("https://a-1.convex.site"))
            );
        }
        other => panic!("{other:?}"),
    }
    // A site URL as convexUrl keeps its own message (the cloud URL suggested).
    let (option, message) = problem(None, Some("https://a-1.convex.site"));
    assert_eq!(option, "convexUrl");
    assert!(message.contains("https://a-1.convex.cloud"), "{message}");
}
