//! The crate's own JSON reader against serde_json on any bytes: the same documents accepted, and
//! the text written back read by serde_json as the same value.
#![no_main]

use convex_auth_wasm::core::shared::json::{parse_value, to_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reference = serde_json::from_slice::<serde_json::Value>(data).ok();
    let ours = parse_value(data)
        .ok()
        .map(|value| serde_json::from_str::<serde_json::Value>(&to_text(&value)).unwrap());
    assert_eq!(ours, reference, "{}", String::from_utf8_lossy(data));
});
