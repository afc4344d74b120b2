//! The object `verify` resolves with: identity fields plus every claim, deep-frozen so a cached
//! result shared by later calls cannot be altered. Built as one JSON text (the claims are the
//! payload's own text, duplicate keys already refused) and handed to the engine's `JSON.parse`
//! once: one string crossing instead of a property set per field.

use wasm_bindgen::prelude::*;

use crate::core::shared::json::{ObjectText, to_text};
use crate::core::shared::token::DecodedToken;

// The symbol is `CACHE_TERMS` in js/edge/js-cache.ts.
#[wasm_bindgen(inline_js = r#"
const CACHE_TERMS = Symbol.for("convex-auth-wasm.cacheTerms");
const freeze = (value) => {
  if (typeof value === "object" && value !== null) {
    for (const entry of Object.values(value)) freeze(entry);
    Object.freeze(value);
  }
  return value;
};
export const frozenJson = (text, until, generation) => {
  const value = JSON.parse(text);
  if (generation !== undefined) {
    Object.defineProperty(value, CACHE_TERMS, { value: Object.freeze([until, generation]) });
  }
  return freeze(value);
};
"#)]
extern "C" {
    /// `JSON.parse(text)`, deep-frozen; with the cache terms under a non-enumerable symbol.
    #[wasm_bindgen(js_name = frozenJson, catch)]
    fn frozen_json(text: &str, until: f64, generation: Option<f64>) -> Result<JsValue, JsValue>;
}

/// Builds the frozen result for a verified token; `terms`: when its cache entry stops being
/// acceptable and the cache generation it belongs to (`None` when it is not cached).
pub fn verified_object(
    decoded: &DecodedToken,
    terms: Option<(i64, u64)>,
) -> Result<JsValue, JsValue> {
    let claims = &decoded.claims;
    let subject = decoded.subject();
    let audience = claims
        .raw
        .get("aud")
        .map_or_else(|| "null".to_owned(), to_text);
    // The identity fields repeat claims: twice the payload covers them.
    let mut json = ObjectText::with_capacity(2 * decoded.payload_json.len() + 160);
    json.string("userId", subject.as_ref().map(|s| s.user_id))
        .string("sessionId", subject.as_ref().and_then(|s| s.session_id))
        .string("subject", claims.sub.as_deref())
        .string("issuer", claims.iss.as_deref())
        .raw("audience", &audience)
        .integer("issuedAt", claims.iat)
        .integer("expiresAt", claims.exp)
        .raw("claims", &decoded.payload_json);
    let (until, generation) = terms.unzip();
    frozen_json(
        &json.finish(),
        until.unwrap_or_default() as f64,
        generation.map(|g| g as f64),
    )
}
