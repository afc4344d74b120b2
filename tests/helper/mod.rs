//! Shared helpers for the native test suites.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[cfg(not(target_arch = "wasm32"))]
pub mod oracle;

/// base64url without padding, as JWTs use.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding.
pub fn decode_b64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// A compact JWT with the given raw JSON header and payload and a dummy signature.
pub fn jwt(header: &str, payload: &str) -> String {
    format!(
        "{}.{}.{}",
        b64(header.as_bytes()),
        b64(payload.as_bytes()),
        b64(b"sig")
    )
}

/// A payload shaped like the ones Convex Auth mints.
pub fn convex_payload(iat: i64, exp: i64) -> String {
    format!(
        r#"{{"sub":"user123|session456","iat":{iat},"iss":"https://happy-otter-123.convex.site","aud":"convex","exp":{exp}}}"#
    )
}

pub mod url_cases;
#[cfg(all(not(target_arch = "wasm32"), feature = "client"))]
pub mod world;

/// A `serde_json::json!` value as the crate's own JSON value (read back from its text).
pub fn value(json: serde_json::Value) -> convex_auth_wasm::core::shared::json::Value {
    convex_auth_wasm::core::shared::json::parse_value(json.to_string().as_bytes()).unwrap()
}

/// The crate's own JSON value as a `serde_json` value (to index into it in assertions).
pub fn serde(value: &convex_auth_wasm::core::shared::json::Value) -> serde_json::Value {
    serde_json::from_str(&convex_auth_wasm::core::shared::json::to_text(value)).unwrap()
}
