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
        ErrorKind::AlgNotAllowed { alg, .. } => vec![("alg", s(alg))],
        ErrorKind::SignatureInvalid { .. } | ErrorKind::JwksInvalid { .. } => Vec::new(),
        ErrorKind::Expired { exp, now, .. } => vec![
            ("claim", s("exp")),
            ("expiresAt", JsValue::from(*exp as f64)),
            ("now", JsValue::from(*now as f64)),
        ],
        ErrorKind::NotYetValid { claim, value, now } => vec![
            ("claim", s(claim)),
            ("actual", s(&value.to_string())),
            ("now", JsValue::from(*now as f64)),
        ],
        ErrorKind::TooOld { iat, now, .. } => vec![
            ("claim", s("iat")),
            ("actual", s(&iat.to_string())),
            ("now", JsValue::from(*now as f64)),
        ],
        ErrorKind::IssuerMismatch { expected, actual } => vec![
            ("claim", s("iss")),
            ("expected", s(expected)),
            ("actual", s(actual)),
        ],
        ErrorKind::AudienceMismatch { expected, actual } => vec![
            ("claim", s("aud")),
            ("expected", s(&expected.join(", "))),
            ("actual", s(&actual.join(", "))),
        ],
        ErrorKind::NetworkOrCors { url, .. } => vec![("url", s(url))],
        ErrorKind::HttpStatus { url, status, body } => vec![
            ("url", s(url)),
            ("status", JsValue::from(f64::from(*status))),
            ("body", s(body)),
        ],
        ErrorKind::FunctionFailed {
            path,
            message,
            data,
        } => vec![
            ("path", s(path)),
            ("errorMessage", s(message)),
            (
                "errorData",
                data.as_deref()
                    .and_then(|d| js_sys::JSON::parse(d).ok())
                    .unwrap_or(JsValue::UNDEFINED),
            ),
        ],
        ErrorKind::SignInFailed { .. }
        | ErrorKind::RefreshRejected
        | ErrorKind::NotSignedIn
        | ErrorKind::Disposed => Vec::new(),
        ErrorKind::JwksFetchFailed { url, status, .. } => vec![
            ("url", s(url)),
            (
                "status",
                status.map_or(JsValue::NULL, |st| JsValue::from(f64::from(st))),
            ),
        ],
        ErrorKind::NoMatchingKey { kid, .. } => {
            vec![("kid", kid.as_deref().map_or(JsValue::NULL, s))]
        }
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

/// An `ERR_CONFIG_INVALID` error for option `key` whose value is not `expected`.
pub fn wrong_type(key: &'static str, value: &JsValue, expected: &'static str) -> JsValue {
    let shown = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    let err: Error = ErrorKind::ConfigInvalid {
        option: key,
        value: shown,
        problem: ConfigProblem::WrongType { expected },
    }
    .into();
    to_js_error(&err)
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

/// Converts a core result, throwing a JS error on failure.
pub fn throw<T>(result: crate::core::Result<T>) -> Result<T, JsValue> {
    result.map_err(|e| to_js_error(&e))
}
