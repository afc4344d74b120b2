//! Untrusted tokens: decoding and full verification (policy, key selection, RSA) never panic, and
//! nothing random is ever accepted.
#![no_main]

use std::sync::OnceLock;

use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, decode};
use convex_auth_wasm::core::edge::policy::Policy;
use convex_auth_wasm::core::edge::verify::verify;
use libfuzzer_sys::fuzz_target;

/// A fixed 2048-bit modulus (not a real key: nothing can be signed for it).
fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let n = format!("{}{}", "x".repeat(341), "w");
        KeySet::parse(&format!(r#"{{"keys":[{{"use":"sig","kty":"RSA","n":"{n}","e":"AQAB"}}]}}"#))
            .expect("the fuzz key set parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode(token, DEFAULT_MAX_TOKEN_BYTES);
    let policy = Policy::new("https://happy-otter-123.convex.site");
    assert!(verify(token, keys(), &policy, 1_700_000_000).is_err());
});
