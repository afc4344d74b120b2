//! The JS fields of the session manager's errors.

use crate::core::client::ClientError;
use crate::core::shared::json::ObjectText;

/// Adds the structured fields of a [`ClientError`].
pub fn fields(kind: &ClientError, fields: &mut ObjectText) {
    let status = |status: &u16| Some(i64::from(*status));
    match kind {
        ClientError::ForeignOrigin {
            url,
            allowed_origin,
            ..
        } => {
            fields
                .string("url", Some(url))
                .string("allowedOrigin", Some(allowed_origin));
        }
        ClientError::RedirectRefused {
            url,
            status: code,
            location,
        } => {
            fields
                .string("url", Some(url))
                .integer("status", status(code))
                .string("location", location.as_deref());
        }
        ClientError::SignInRedirectRefused { location } => {
            fields.string("location", Some(location));
        }
        ClientError::StorageUnavailable { storage, .. } => {
            fields.string("storage", Some(storage));
        }
        ClientError::NetworkOrCors { url, .. } => {
            fields.string("url", Some(url));
        }
        ClientError::HttpStatus {
            url,
            status: code,
            body,
        } => {
            fields
                .string("url", Some(url))
                .integer("status", status(code))
                .string("body", Some(body));
        }
        ClientError::FunctionFailed {
            path,
            message,
            data,
        } => {
            fields
                .string("path", Some(path))
                .string("errorMessage", Some(message));
            if let Some(data) = data {
                // JSON text this crate wrote (the `errorData` the server sent).
                fields.raw("errorData", data);
            }
        }
        ClientError::LockTimeout { waited_ms } => {
            fields.integer("waitedMs", Some(i64::from(*waited_ms)));
        }
        ClientError::SessionInvalid { reason } | ClientError::SignOutUnconfirmed { reason } => {
            fields.string("reason", Some(reason));
        }
        ClientError::SignInFailed { .. }
        | ClientError::SignInIncomplete
        | ClientError::RefreshRejected
        | ClientError::NotSignedIn
        | ClientError::Disposed => {}
    }
}
