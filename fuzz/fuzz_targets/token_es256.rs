//! Untrusted tokens against a real P-256 key under Convex Auth 2's policy: decoding and full
//! verification (generation, policy, key selection, `p256`) never panic, and the only tokens
//! ever accepted are the one the test key really signed and its malleated twin `(r, n − s)`,
//! which is valid ECDSA too. The corpus is seeded with that token.
#![no_main]

use std::sync::OnceLock;

use convex_auth_wasm::core::edge::generation::Generation;
use convex_auth_wasm::core::edge::jwks::KeySet;
use convex_auth_wasm::core::edge::verify::verify;
use convex_auth_wasm::core::shared::token::{decode_base64url, encode_base64url};
use libfuzzer_sys::fuzz_target;

/// The public half of the test-only key (tests/fixtures/README.md).
const JWKS: &str = include_str!("../../tests/fixtures/test-ec-p256.jwks.json");
/// A Convex Auth 2-shaped token signed by it (exp in 2100).
const VALID: &str = include_str!("../../tests/fixtures/test-ec-p256.jwt");
/// The group order of P-256, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| KeySet::parse(JWKS).expect("the test key set parses"))
}

/// VALID with `s` replaced by `n − s`.
fn twin() -> &'static str {
    static TWIN: OnceLock<String> = OnceLock::new();
    TWIN.get_or_init(|| {
        let (input, signature) = VALID.rsplit_once('.').expect("three segments");
        let mut sig = decode_base64url(signature).expect("base64url");
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = i16::from(N[i]) - i16::from(sig[32 + i]) - borrow;
            sig[32 + i] = d.rem_euclid(256) as u8;
            borrow = i16::from(d < 0);
        }
        format!("{input}.{}", encode_base64url(&sig))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let policy = Generation::V2.policy("https://happy-otter-123.convex.cloud");
    if verify(token, keys(), &policy, 1_700_000_100).is_ok() {
        assert!(token == VALID || token == twin(), "accepted a token the key never signed");
    }
});
