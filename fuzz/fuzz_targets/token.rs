//! Untrusted tokens against a real key: decoding and full verification (policy, key selection,
//! RSA) never panic, and the only token ever accepted is the one the test key really signed.
//! The corpus is seeded with that token, so the fuzzer explores its mutations.
#![no_main]

use std::sync::OnceLock;

use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::edge::policy::Policy;
use convex_auth_wasm::core::edge::verify::verify;
use convex_auth_wasm::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, decode};
use libfuzzer_sys::fuzz_target;

/// The public half of the test-only key (tests/fixtures/README.md).
const JWKS: &str = include_str!("../../tests/fixtures/test-rsa-2048.jwks.json");
/// A valid Convex Auth token signed by it (exp in 2100).
const VALID: &str = include_str!("../../tests/fixtures/test-rsa-2048.jwt");

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| KeySet::parse(JWKS).expect("the test key set parses"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode(token, DEFAULT_MAX_TOKEN_BYTES);
    let policy = Policy::new("https://happy-otter-123.convex.site");
    if verify(token, keys(), &policy, 1_700_000_100).is_ok() {
        assert_eq!(token, VALID, "accepted a token the key never signed");
    }
});
