//! Reading options objects and building plain JS values.

use wasm_bindgen::prelude::*;

use super::errors::wrong_type;
use crate::core::shared::json::{Value, to_text};
use js_sys::Reflect;

/// Seconds since the epoch from the JS clock (`Date.now()`).
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// A JSON value as a plain JS value: its text, read by the engine's own `JSON.parse` — faster
/// than building objects field by field.
pub fn value_to_js(value: &Value) -> Result<JsValue, JsValue> {
    from_json(&to_text(value))
}

/// The doctor's serde-serialisable reports as plain JS values, the same way.
#[cfg(feature = "doctor")]
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|_| JsValue::from(js_sys::Error::new("internal conversion error")))?;
    js_sys::JSON::parse(&text)
}

/// A JSON text this crate wrote, as a JS value (the engine's `JSON.parse`).
pub fn from_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

/// `target[key]`, `None` when absent, `null`, `undefined`, or `target` is not an object.
pub fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    if !target.is_object() && !target.is_function() {
        return None;
    }
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `target.a.b.c…`, `None` when any step is missing.
pub fn get_path(target: &JsValue, path: &[&str]) -> Option<JsValue> {
    path.iter()
        .try_fold(target.clone(), |value, key| get(&value, key))
}

/// `globalThis[key]`.
pub fn global(key: &str) -> Option<JsValue> {
    get(&js_sys::global(), key)
}

/// Sets `target[key] = value` (on an object this package created: cannot fail).
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// An option's value, `None` when absent, `null` or `undefined`.
pub fn option_value(options: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(key))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// Reads an optional string property of an options object; a non-string is a config error.
pub fn optional_string(options: &JsValue, key: &'static str) -> Result<Option<String>, JsValue> {
    option_value(options, key)?
        .map(|v| v.as_string().ok_or_else(|| wrong_type(key, &v, "a string")))
        .transpose()
}

/// Reads an optional finite number within `range`; anything else is a config error.
pub fn optional_number(
    options: &JsValue,
    key: &'static str,
    range: std::ops::RangeInclusive<f64>,
    expected: &'static str,
) -> Result<Option<f64>, JsValue> {
    option_value(options, key)?
        .map(|v| {
            v.as_f64()
                .filter(|n| range.contains(n))
                .ok_or_else(|| wrong_type(key, &v, expected))
        })
        .transpose()
}

/// Reads an optional string or array of strings.
pub fn optional_strings(
    options: &JsValue,
    key: &'static str,
) -> Result<Option<Vec<String>>, JsValue> {
    const EXPECTED: &str = "a string or a non-empty array of strings";
    let Some(value) = option_value(options, key)? else {
        return Ok(None);
    };
    if let Some(s) = value.as_string() {
        return Ok(Some(vec![s]));
    }
    if !js_sys::Array::is_array(&value) {
        return Err(wrong_type(key, &value, EXPECTED));
    }
    let list: Option<Vec<String>> = js_sys::Array::from(&value)
        .iter()
        .map(|v| v.as_string())
        .collect();
    list.filter(|l| !l.is_empty())
        .map(Some)
        .ok_or_else(|| wrong_type(key, &value, EXPECTED))
}

/// The message of a thrown JS value.
pub fn describe(error: &JsValue) -> String {
    get(error, "message")
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
