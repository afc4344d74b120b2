//! Errors become real JS `Error`s: `name` "ConvexAuthError", the stable `code`, the corrective
//! message, and the structured fields of the kind (each product adds its own).

use js_sys::{Error as JsError, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::shared::config_problem::ConfigProblem;
use crate::core::shared::error::{Error, ErrorKind};

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "ConvexAuthError";

/// A structured field of an error: its JS name and value.
pub type Field = (&'static str, JsValue);

/// A JS `Error` carrying the code, the corrective message and the structured fields.
pub fn to_js_error(err: &Error) -> JsValue {
    let js = JsError::new(&err.to_string());
    js.set_name(ERROR_NAME);
    set_all(&js, &[("code", err.code().into())]);
    set_all(&js, &kind_fields(err.kind()));
    js.into()
}

fn set_all(target: &Object, fields: &[Field]) {
    for (key, value) in fields {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(target, &JsValue::from_str(key), value);
    }
}

fn kind_fields(kind: &ErrorKind) -> Vec<Field> {
    let s = |v: &str| JsValue::from_str(v);
    match kind {
        ErrorKind::ConfigInvalid {
            option,
            value,
            problem,
        } => {
            let mut fields = vec![("option", s(option)), ("value", s(value))];
            if let Some(suggestion) = problem.suggestion() {
                fields.push(("suggestion", s(suggestion)));
            }
            fields
        }
        ErrorKind::UrlInvalid { url, .. } => vec![("url", s(url))],
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
        #[cfg(feature = "client")]
        ErrorKind::Client(kind) => crate::web::client::errors::fields(kind),
        #[cfg(feature = "edge")]
        ErrorKind::Edge(kind) => crate::web::edge::errors::fields(kind),
    }
}

/// An `ERR_CONFIG_INVALID` error for option `key` whose value is not `expected`.
pub fn wrong_type(key: &'static str, value: &JsValue, expected: &'static str) -> JsValue {
    let shown = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| String::from("(not JSON)"));
    let err: Error = ErrorKind::ConfigInvalid {
        option: key,
        value: shown,
        problem: ConfigProblem::WrongType { expected },
    }
    .into();
    to_js_error(&err)
}

/// Converts a core result, throwing a JS error on failure.
pub fn throw<T>(result: crate::core::Result<T>) -> Result<T, JsValue> {
    result.map_err(|e| to_js_error(&e))
}
