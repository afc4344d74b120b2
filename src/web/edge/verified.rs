//! The object `verify` resolves with: identity fields plus every claim, deep-frozen so a cached
//! result shared by later calls cannot be altered. Built as one JSON text (the claims are the
//! payload's own text, duplicate keys already refused) and handed to the engine's `JSON.parse`
//! once: one string crossing instead of a property set per field.

use wasm_bindgen::prelude::*;

use crate::core::shared::json::{string_text, to_text};
use crate::core::shared::token::DecodedToken;

#[wasm_bindgen(inline_js = r#"
const freeze = (value) => {
  if (typeof value === "object" && value !== null) {
    for (const entry of Object.values(value)) freeze(entry);
    Object.freeze(value);
  }
  return value;
};
export const frozenJson = (text) => freeze(JSON.parse(text));
"#)]
extern "C" {
    /// `JSON.parse(text)`, deep-frozen.
    #[wasm_bindgen(js_name = frozenJson, catch)]
    fn frozen_json(text: &str) -> Result<JsValue, JsValue>;
}

/// Builds the frozen result for a verified token.
pub fn verified_object(decoded: &DecodedToken) -> Result<JsValue, JsValue> {
    let claims = &decoded.claims;
    let subject = decoded.subject();
    let text = |value: Option<&str>| value.map_or_else(|| "null".to_owned(), string_text);
    let number = |value: Option<i64>| value.map_or_else(|| "null".to_owned(), |n| n.to_string());
    let fields = [
        ("userId", text(subject.as_ref().map(|s| s.user_id))),
        (
            "sessionId",
            text(subject.as_ref().and_then(|s| s.session_id)),
        ),
        ("subject", text(claims.sub.as_deref())),
        ("issuer", text(claims.iss.as_deref())),
        (
            "audience",
            claims
                .raw
                .get("aud")
                .map_or_else(|| "null".to_owned(), to_text),
        ),
        ("issuedAt", number(claims.iat)),
        ("expiresAt", number(claims.exp)),
    ];
    let mut json = String::with_capacity(decoded.payload_json.len() + 256);
    json.push('{');
    for (name, value) in fields {
        json.extend(["\"", name, "\":", &value, ","]);
    }
    json.extend(["\"claims\":", &decoded.payload_json, "}"]);
    frozen_json(&json)
}
