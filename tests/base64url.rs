//! The crate's base64url codec against the `base64` crate (URL-safe, no padding, canonical
//! only): the same text for every byte string, the same bytes or the same refusal for any text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use convex_auth_wasm::core::shared::base64url::{decode, encode};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn encodes_and_decodes_like_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = encode(&bytes);
        prop_assert_eq!(&text, &URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert_eq!(decode(&text).unwrap(), bytes);
    }

    #[test]
    fn accepts_and_refuses_what_the_base64_crate_does(text in "[A-Za-z0-9_=+/ .-]{0,40}") {
        prop_assert_eq!(decode(&text).ok(), URL_SAFE_NO_PAD.decode(&text).ok(), "{}", text);
    }

    #[test]
    fn refuses_any_non_canonical_last_character(bytes in proptest::collection::vec(any::<u8>(), 1..40), last in 0usize..64) {
        // Replacing the last character of a valid text: accepted only where the crate accepts.
        let mut text = encode(&bytes).into_bytes();
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        *text.last_mut().unwrap() = alphabet[last];
        let text = String::from_utf8(text).unwrap();
        prop_assert_eq!(decode(&text).ok(), URL_SAFE_NO_PAD.decode(&text).ok(), "{}", text);
    }
}

#[test]
fn edges() {
    assert_eq!(decode(""), Ok(vec![]));
    assert!(decode("A").is_err());
    assert!(decode("AA=").is_err());
    assert_eq!(decode("AA"), Ok(vec![0]));
    assert!(decode("AB").is_err()); // non-zero trailing bits
    assert_eq!(decode("_-8"), Ok(vec![0xff, 0xef]));
    assert!(decode("é").is_err());
    assert_eq!(encode(b"sig"), "c2ln");
}
