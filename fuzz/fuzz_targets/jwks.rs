//! Untrusted JWKS documents: parsing never panics.
#![no_main]

use convex_auth_wasm::core::edge::jwks::KeySet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = KeySet::parse(text);
    }
});
