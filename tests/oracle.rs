//! Differential test: the shipped verifier (strict decoder + policy + RSA) against
//! `jsonwebtoken` as an oracle, on a generated corpus signed with a test key: valid, expired, not
//! yet valid, wrong issuer or audience, tampered, algorithm confusion, duplicate keys, and more.
//! Both must agree, except where this verifier is deliberately stricter — each such case names
//! its reason, and the test checks that the two really differ there (so the list stays true).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::edge::policy::Policy;
use convex_auth_wasm::core::edge::verify::verify;
use helper::b64;
use helper::oracle::{Case, compare, sign_text, system_now};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde_json::{Value, json};

const SITE: &str = "https://happy-otter-123.convex.site";
const PEM: &str = include_str!("fixtures/test-rsa-2048.pem");
const JWKS: &str = include_str!("fixtures/test-rsa-2048.jwks.json");

struct Corpus {
    now: i64,
    key: EncodingKey,
    cases: Vec<Case>,
}

impl Corpus {
    fn claims(&self, changes: Value) -> Value {
        let mut claims = json!({
            "sub": "user123|session456", "iat": self.now, "iss": SITE, "aud": "convex",
            "exp": self.now + 3600,
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

    fn signed(&self, header: &str, claims: Value) -> String {
        sign_text(header, &claims.to_string(), Algorithm::RS256, &self.key)
    }

    /// A case both verifiers must judge alike.
    fn same(&mut self, name: &'static str, token: String) {
        self.cases.push((name, token, None));
    }

    /// A case where this verifier is deliberately stricter, and why.
    fn stricter(&mut self, name: &'static str, token: String, reason: &'static str) {
        self.cases.push((name, token, Some(reason)));
    }
}

fn corpus() -> Corpus {
    let now = system_now();
    let key = EncodingKey::from_rsa_pem(PEM.as_bytes()).unwrap();
    let mut c = Corpus {
        now,
        key,
        cases: Vec::new(),
    };
    let rs = r#"{"alg":"RS256"}"#;
    let valid = c.signed(rs, c.claims(json!({})));
    let [h, p, s]: [&str; 3] = valid.split('.').collect::<Vec<_>>().try_into().unwrap();
    c.same("valid Convex Auth token", valid.clone());
    c.same(
        "typ JWT",
        c.signed(r#"{"alg":"RS256","typ":"JWT"}"#, c.claims(json!({}))),
    );
    c.same(
        "expired a minute ago",
        c.signed(rs, c.claims(json!({ "exp": now - 60 }))),
    );
    c.same(
        "expired within the tolerance",
        c.signed(rs, c.claims(json!({ "exp": now - 2 }))),
    );
    c.same(
        "nbf in the future",
        c.signed(rs, c.claims(json!({ "nbf": now + 120 }))),
    );
    c.same(
        "nbf in the past",
        c.signed(rs, c.claims(json!({ "nbf": now - 120 }))),
    );
    c.same(
        "issuer on .convex.cloud",
        c.signed(
            rs,
            c.claims(json!({ "iss": "https://happy-otter-123.convex.cloud" })),
        ),
    );
    c.same(
        "another audience",
        c.signed(rs, c.claims(json!({ "aud": "other" }))),
    );
    c.same(
        "audience list with convex",
        c.signed(rs, c.claims(json!({ "aud": ["x", "convex"] }))),
    );
    c.same("no exp", c.signed(rs, c.claims(json!({ "exp": null }))));
    c.same("no sub", c.signed(rs, c.claims(json!({ "sub": null }))));
    c.same("no iss", c.signed(rs, c.claims(json!({ "iss": null }))));
    c.same("no aud", c.signed(rs, c.claims(json!({ "aud": null }))));
    c.same(
        "exp is a string",
        c.signed(rs, c.claims(json!({ "exp": "soon" }))),
    );
    c.same(
        "custom claims",
        c.signed(rs, c.claims(json!({ "role": { "admin": [1, 2] } }))),
    );
    let forged = c.claims(json!({ "sub": "admin|session456" })).to_string();
    c.same(
        "payload swapped, signature kept",
        format!("{h}.{}.{s}", b64(forged.as_bytes())),
    );
    let mut flipped = helper::decode_b64(s).unwrap();
    flipped[17] ^= 1;
    c.same(
        "one signature bit flipped",
        format!("{h}.{p}.{}", b64(&flipped)),
    );
    c.same("signature removed", format!("{h}.{p}."));
    c.same("alg none", format!("{}.{p}.", b64(br#"{"alg":"none"}"#)));
    let hmac = EncodingKey::from_secret(JWKS.as_bytes()).unwrap();
    let claims = c.claims(json!({})).to_string();
    c.same(
        "HS256 signed with the public JWKS as the secret",
        sign_text(r#"{"alg":"HS256"}"#, &claims, Algorithm::HS256, &hmac),
    );
    c.same(
        "RS384 where only RS256 is allowed",
        sign_text(r#"{"alg":"RS384"}"#, &claims, Algorithm::RS384, &c.key),
    );
    c.same("padded base64", format!("{h}=.{p}.{s}"));
    c.same(
        "standard base64 alphabet",
        format!("{h}.{p}.{}", s.replace('-', "+").replace('_', "/")),
    );
    c.same("four segments", format!("{valid}.x"));
    c.same("whitespace inside", format!("{h}. {p}.{s}"));
    let dup = format!(
        r#"{{"sub":"user123|s","iat":{now},"iss":"{SITE}","aud":"convex","exp":1,"exp":{}}}"#,
        now + 3600
    );
    c.same(
        "duplicate exp in the payload",
        sign_text(rs, &dup, Algorithm::RS256, &c.key),
    );
    c.same(
        "duplicate alg in the header",
        c.signed(r#"{"alg":"none","alg":"RS256"}"#, c.claims(json!({}))),
    );
    c.same(
        "exp as a fraction",
        c.signed(rs, c.claims(json!({ "exp": now as f64 + 3600.5 }))),
    );
    c.same(
        "crit header (RFC 7515 §4.1.11)",
        c.signed(r#"{"alg":"RS256","crit":["exp"]}"#, c.claims(json!({}))),
    );
    // Deliberately stricter than jsonwebtoken, each for a stated reason.
    c.stricter(
        "iat a minute in the future",
        c.signed(rs, c.claims(json!({ "iat": now + 60 }))),
        "a token issued in the future beyond the clock tolerance comes from a skewed or forged clock",
    );
    c.stricter(
        "kid the key set does not have",
        c.signed(r#"{"alg":"RS256","kid":"other"}"#, c.claims(json!({}))),
        "a token naming a kid is checked only against the key with that kid (the oracle is handed the key directly)",
    );
    c.stricter(
        "empty sub",
        c.signed(rs, c.claims(json!({ "sub": "" }))),
        "an empty subject identifies nobody",
    );
    c.stricter(
        "9 KB of custom claims",
        c.signed(rs, c.claims(json!({ "blob": "x".repeat(9000) }))),
        "tokens over 8 KB are refused before parsing (denial of service); Convex Auth's are under 1 KB",
    );
    c
}

fn oracle(token: &str, jwk: &Value) -> Result<(), String> {
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 5;
    validation.set_issuer(&[SITE]);
    validation.set_audience(&["convex"]);
    validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
    validation.validate_nbf = true;
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

#[test]
fn the_verifier_agrees_with_jsonwebtoken_except_where_it_is_deliberately_stricter() {
    let keys = KeySet::parse(JWKS).unwrap();
    let jwk: Value = serde_json::from_str::<Value>(JWKS).unwrap()["keys"][0].clone();
    let corpus = corpus();
    let policy = Policy::new(SITE);
    assert!(corpus.cases.len() >= 30, "{} cases", corpus.cases.len());
    let ours = |token: &str| {
        verify(token, &keys, &policy, corpus.now)
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    };
    let report = compare(&corpus.cases, ours, |token| oracle(token, &jwk));
    assert_eq!(report.len(), 4, "the deliberate differences: {report:#?}");
}

#[test]
fn the_fuzz_seed_is_a_token_the_test_key_really_signed() {
    let keys = KeySet::parse(JWKS).unwrap();
    let token = include_str!("fixtures/test-rsa-2048.jwt");
    let policy = Policy::new(SITE);
    assert!(verify(token, &keys, &policy, 1_700_000_100).is_ok());
    let tampered = token.replacen("eyJ", "eyK", 1);
    assert!(verify(&tampered, &keys, &policy, 1_700_000_100).is_err());
}
