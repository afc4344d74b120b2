//! Errors become real JS `Error`s: `name` "ConvexAuthError", the stable `code`, the corrective
//! message, and the structured fields of the kind (each product adds its own).

use wasm_bindgen::prelude::*;

use crate::core::shared::config_problem::ConfigProblem;
use crate::core::shared::error::{Error, ErrorKind};
use crate::core::shared::json::ObjectText;

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "ConvexAuthError";

#[wasm_bindgen(inline_js = r#"
export const errorFromJson = (text) => {
  const fields = JSON.parse(text);
  const error = new Error(fields.message);
  error.name = fields.name;
  for (const key of Object.keys(fields)) if (key !== "message") error[key] = fields[key];
  return error;
};
"#)]
extern "C" {
    /// A JS `Error` with the message and every other field of the JSON object `text`.
    #[wasm_bindgen(js_name = errorFromJson)]
    fn error_from_json(text: &str) -> JsValue;
}

/// A JS `Error` carrying the code, the corrective message and the structured fields: written as
/// one JSON object and built by the JS side in one call.
pub fn to_js_error(err: &Error) -> JsValue {
    let mut fields = ObjectText::default();
    fields
        .string("message", Some(&err.to_string()))
        .string("name", Some(ERROR_NAME))
        .string("code", Some(err.code()));
    kind_fields(err.kind(), &mut fields);
    error_from_json(&fields.finish())
}

fn kind_fields(kind: &ErrorKind, fields: &mut ObjectText) {
    match kind {
        ErrorKind::ConfigInvalid {
            option,
            value,
            problem,
        } => {
            fields
                .string("option", Some(option))
                .string("value", Some(value));
            if let Some(suggestion) = problem.suggestion() {
                fields.string("suggestion", Some(suggestion));
            }
        }
        ErrorKind::UrlInvalid { url, .. } => {
            fields.string("url", Some(url));
        }
        ErrorKind::JwtTooLarge { size, limit } => {
            fields
                .integer("size", Some(*size as i64))
                .integer("limit", Some(*limit as i64));
        }
        ErrorKind::JwtMalformed { part, .. } => {
            fields.string("part", Some(part.as_str()));
        }
        ErrorKind::ClaimMissing { claim } => {
            fields.string("claim", Some(claim));
        }
        ErrorKind::ClaimInvalid {
            claim,
            expected,
            actual,
        } => {
            fields
                .string("claim", Some(claim))
                .string("expected", Some(expected))
                .string("actual", Some(actual));
        }
        #[cfg(feature = "client")]
        ErrorKind::Client(kind) => crate::web::client::errors::fields(kind, fields),
        #[cfg(feature = "edge")]
        ErrorKind::Edge(kind) => crate::web::edge::errors::fields(kind, fields),
    }
}

/// An `ERR_CONFIG_INVALID` error for option `key` whose value is not `expected`.
pub fn wrong_type(key: &'static str, value: &JsValue, expected: &'static str) -> JsValue {
    // A string as it is (the message quotes it); anything else as its JSON text.
    let shown = value
        .as_string()
        .or_else(|| {
            js_sys::JSON::stringify(value)
                .ok()
                .and_then(|s| s.as_string())
        })
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
