//! The JS fields of the verifier's errors.

use wasm_bindgen::prelude::*;

use crate::core::edge::EdgeError;
use crate::web::interop::errors::Field;

/// The structured fields of an [`EdgeError`].
pub fn fields(kind: &EdgeError) -> Vec<Field> {
    let s = |v: &str| JsValue::from_str(v);
    let seconds = |n: i64| JsValue::from(n as f64);
    match kind {
        EdgeError::AlgNotAllowed { alg, .. } => vec![("alg", s(alg))],
        EdgeError::CritUnsupported { crit } => vec![("actual", s(crit))],
        EdgeError::SignatureInvalid { .. } | EdgeError::JwksInvalid { .. } => Vec::new(),
        EdgeError::Expired { exp, now, .. } => vec![
            ("claim", s("exp")),
            ("expiresAt", seconds(*exp)),
            ("now", seconds(*now)),
        ],
        EdgeError::NotYetValid { claim, value, now } => vec![
            ("claim", s(claim)),
            ("actual", s(&value.to_string())),
            ("now", seconds(*now)),
        ],
        EdgeError::TooOld { iat, now, .. } => vec![
            ("claim", s("iat")),
            ("actual", s(&iat.to_string())),
            ("now", seconds(*now)),
        ],
        EdgeError::IssuerMismatch { expected, actual } => vec![
            ("claim", s("iss")),
            ("expected", s(expected)),
            ("actual", s(actual)),
        ],
        EdgeError::AudienceMismatch { expected, actual } => vec![
            ("claim", s("aud")),
            ("expected", s(&expected.join(", "))),
            ("actual", s(&actual.join(", "))),
        ],
        EdgeError::JwksFetchFailed { url, status, .. } => vec![
            ("url", s(url)),
            (
                "status",
                status.map_or(JsValue::NULL, |st| JsValue::from(f64::from(st))),
            ),
        ],
        EdgeError::NoMatchingKey { kid, .. } => {
            vec![("kid", kid.as_deref().map_or(JsValue::NULL, s))]
        }
    }
}
