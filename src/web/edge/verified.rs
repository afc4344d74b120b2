//! The object `verify` resolves with: identity fields plus every claim, deep-frozen so a cached
//! result shared by later calls cannot be altered.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::shared::token::{DecodedToken, decode_base64url};

/// Builds the frozen result for a verified `token`. The claims are parsed by the engine's own
/// `JSON.parse` (faster than converting field by field); duplicate keys were already refused.
pub fn verified_object(token: &str, decoded: &DecodedToken) -> Result<JsValue, JsValue> {
    let payload = token.split('.').nth(1).unwrap_or_default();
    let json = decode_base64url(payload)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    let claims = js_sys::JSON::parse(&json)?;
    let subject = decoded.subject();
    let text = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from_str);
    let number = |v: Option<i64>| v.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
    let result = Object::new();
    for (key, value) in [
        ("userId", text(subject.as_ref().map(|s| s.user_id))),
        (
            "sessionId",
            text(subject.as_ref().and_then(|s| s.session_id)),
        ),
        ("subject", text(decoded.claims.sub.as_deref())),
        ("issuer", text(decoded.claims.iss.as_deref())),
        ("audience", Reflect::get(&claims, &"aud".into())?),
        ("issuedAt", number(decoded.claims.iat)),
        ("expiresAt", number(decoded.claims.exp)),
        ("claims", claims),
    ] {
        Reflect::set(&result, &key.into(), &value)?;
    }
    Ok(deep_freeze(result.into()))
}

/// Freezes an object and everything reachable from it.
fn deep_freeze(value: JsValue) -> JsValue {
    if value.is_object() {
        let object: &Object = value.unchecked_ref();
        for entry in Object::values(object).iter() {
            deep_freeze(entry);
        }
        Object::freeze(object);
    }
    value
}
