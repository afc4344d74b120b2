//! Every JS ↔ Rust conversion: errors become real JS `Error`s with `name`, `code` and structured
//! fields; values become plain objects.

use js_sys::{Error as JsError, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::core::error::{ConfigProblem, Error, ErrorKind};

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "ConvexAuthError";

/// Seconds since the epoch from the JS clock (`Date.now()`).
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Serialises to plain JS objects (not `Map`s), numbers as numbers.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&format!("internal conversion error: {e}")).into())
}

/// A JS `Error` carrying the code, the corrective message and the structured fields.
pub fn to_js_error(err: &Error) -> JsValue {
    let js = JsError::new(&err.to_string());
    js.set_name(ERROR_NAME);
    let fields: &[(&str, JsValue)] = &[("code", err.code().into())];
    set_all(&js, fields);
    set_all(&js, &kind_fields(err.kind()));
    js.into()
}

fn set_all(target: &Object, fields: &[(&str, JsValue)]) {
    for (key, value) in fields {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(target, &JsValue::from_str(key), value);
    }
}

fn kind_fields(kind: &ErrorKind) -> Vec<(&'static str, JsValue)> {
    let s = |v: &str| JsValue::from_str(v);
    match kind {
        ErrorKind::ConfigInvalid {
            option,
            value,
            problem,
        } => {
            let mut fields = vec![("option", s(option)), ("value", s(value))];
            if let Some(suggestion) = suggestion(problem) {
                fields.push(("suggestion", s(suggestion)));
            }
            fields
        }
        ErrorKind::UrlInvalid { url, .. } => vec![("url", s(url))],
        ErrorKind::ForeignOrigin {
            url,
            allowed_origin,
            ..
        } => vec![("url", s(url)), ("allowedOrigin", s(allowed_origin))],
        ErrorKind::JwtTooLarge { size, limit } => vec![
            ("size", JsValue::from(*size as f64)),
            ("limit", JsValue::from(*limit as f64)),
        ],
        ErrorKind::JwtMalformed { part, .. } => vec![("part", s(part.as_str()))],
        ErrorKind::ClaimMissing { claim } => vec![("claim", s(claim))],
        ErrorKind::ClaimInvalid {
            claim,
            expected,
            actual,
        } => vec![
            ("claim", s(claim)),
            ("expected", s(expected)),
            ("actual", s(actual)),
        ],
        ErrorKind::StorageUnavailable { storage, .. } => vec![("storage", s(storage))],
    }
}

fn suggestion(problem: &ConfigProblem) -> Option<&str> {
    match problem {
        ConfigProblem::SiteWhereCloudExpected { suggestion }
        | ConfigProblem::CloudWhereSiteExpected { suggestion }
        | ConfigProblem::DeploymentMismatch { suggestion } => Some(suggestion),
        _ => None,
    }
}

/// Reads an optional string property of an options object; a non-string is a config error.
pub fn optional_string(options: &JsValue, key: &'static str) -> Result<Option<String>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(key))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        let err: Error = ErrorKind::ConfigInvalid {
            option: key,
            value: js_sys::JSON::stringify(&value)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
            problem: ConfigProblem::WrongType {
                expected: "a string",
            },
        }
        .into();
        to_js_error(&err)
    })
}

/// Converts a core result, throwing a JS error on failure.
pub fn throw<T>(result: crate::core::Result<T>) -> Result<T, JsValue> {
    result.map_err(|e| to_js_error(&e))
}
