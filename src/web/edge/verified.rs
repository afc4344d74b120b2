//! The object `verify` resolves with: identity fields plus every claim, deep-frozen so a cached
//! result shared by later calls cannot be altered. The claims are the payload's own JSON text
//! (duplicate keys already refused, so the engine's `JSON.parse` reads the values checked here),
//! parsed once by the engine; the identity fields are taken from them as this module directs:
//! where the subject splits, and the lifetime as checked. One string crossing, no second text.

use wasm_bindgen::prelude::*;

use crate::core::edge::generation::SubjectNames;
use crate::core::shared::token::DecodedToken;

// The symbol is `CACHE_TERMS` in js/edge/js-cache.ts.
#[wasm_bindgen(inline_js = r#"
const CACHE_TERMS = Symbol.for("convex-auth-wasm.cacheTerms");
const freeze = (value) => {
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (typeof entry === "object" && entry !== null) freeze(entry);
  }
  return Object.freeze(value);
};
export const verifiedResult = (claimsText, split, issuedAt, expiresAt, until, generation) => {
  const claims = JSON.parse(claimsText);
  const subject = claims.sub ?? null;
  const sessionOnly = split === -2;
  const whole = subject === null || split < 0;
  const value = {
    userId: sessionOnly ? null : whole ? subject : subject.slice(0, split),
    sessionId: sessionOnly ? subject : whole ? null : subject.slice(split + 1),
    subject,
    issuer: claims.iss ?? null,
    audience: claims.aud ?? null,
    issuedAt: issuedAt ?? null,
    expiresAt: expiresAt ?? null,
    claims,
  };
  if (generation !== undefined) {
    Object.defineProperty(value, CACHE_TERMS, { value: Object.freeze([until, generation]) });
  }
  // The identity fields are strings, numbers or `claims.aud`: freezing the claims deeply covers them.
  freeze(claims);
  return Object.freeze(value);
};
"#)]
extern "C" {
    /// The frozen result from the claims' JSON text, the UTF-16 index of the `|` that ends
    /// the user id in `sub` (-1: no session id; -2: `sub` is the session id alone), the checked `iat`/`exp`, and the cache terms
    /// under a non-enumerable symbol.
    #[wasm_bindgen(js_name = verifiedResult, catch)]
    fn verified_result(
        claims_text: &str,
        split: f64,
        issued_at: Option<f64>,
        expires_at: Option<f64>,
        until: f64,
        generation: Option<f64>,
    ) -> Result<JsValue, JsValue>;
}

/// Builds the frozen result for a verified token; `subject`: what its `sub` names (the
/// generation's rule); `terms`: when its cache entry stops being acceptable and the cache
/// generation it belongs to (`None` when it is not cached).
pub fn verified_object(
    decoded: &DecodedToken,
    subject: SubjectNames,
    terms: Option<(i64, u64)>,
) -> Result<JsValue, JsValue> {
    let split = match subject {
        SubjectNames::Session => -2.0,
        SubjectNames::UserAndSession => decoded
            .subject()
            .filter(|s| s.session_id.is_some())
            .map_or(-1.0, |s| s.user_id.encode_utf16().count() as f64),
    };
    let (until, generation) = terms.unzip();
    verified_result(
        &decoded.payload_json,
        split,
        decoded.claims.iat.map(|s| s as f64),
        decoded.claims.exp.map(|s| s as f64),
        until.unwrap_or_default() as f64,
        generation.map(|g| g as f64),
    )
}
