//! The JS fields of the session manager's errors.

use wasm_bindgen::prelude::*;

use crate::core::client::ClientError;
use crate::web::interop::errors::Field;

/// The structured fields of a [`ClientError`].
pub fn fields(kind: &ClientError) -> Vec<Field> {
    let s = |v: &str| JsValue::from_str(v);
    match kind {
        ClientError::ForeignOrigin {
            url,
            allowed_origin,
            ..
        } => vec![("url", s(url)), ("allowedOrigin", s(allowed_origin))],
        ClientError::RedirectRefused {
            url,
            status,
            location,
        } => vec![
            ("url", s(url)),
            ("status", JsValue::from(f64::from(*status))),
            ("location", location.as_deref().map_or(JsValue::NULL, s)),
        ],
        ClientError::StorageUnavailable { storage, .. } => vec![("storage", s(storage))],
        ClientError::NetworkOrCors { url, .. } => vec![("url", s(url))],
        ClientError::HttpStatus { url, status, body } => vec![
            ("url", s(url)),
            ("status", JsValue::from(f64::from(*status))),
            ("body", s(body)),
        ],
        ClientError::FunctionFailed {
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
        ClientError::LockTimeout { waited_ms } => {
            vec![("waitedMs", JsValue::from(*waited_ms))]
        }
        ClientError::SignInFailed { .. }
        | ClientError::RefreshRejected
        | ClientError::NotSignedIn
        | ClientError::Disposed => Vec::new(),
    }
}
