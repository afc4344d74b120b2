//! `getState()`: the core's snapshot as a plain JS object.

use wasm_bindgen::prelude::*;

use crate::core::client::manager::Snapshot;
use crate::core::shared::json::ObjectText;
use crate::web::interop::errors::to_js_error;
use crate::web::interop::values::{from_json, set};

/// The snapshot as `SessionState`: the plain fields as one JSON text, then the two errors.
pub fn state_object(snapshot: &Snapshot) -> JsValue {
    let mut json = ObjectText::default();
    json.boolean("isLoading", snapshot.is_loading)
        .boolean("isAuthenticated", snapshot.is_authenticated)
        .boolean("hasToken", snapshot.has_token)
        .string("userId", snapshot.user_id.as_deref())
        .string("sessionId", snapshot.session_id.as_deref())
        .integer("expiresAt", snapshot.expires_at)
        .boolean("isRefreshing", snapshot.is_refreshing)
        .integer(
            "refreshFailures",
            Some(i64::from(snapshot.refresh_failures)),
        )
        .raw("lastError", "null")
        .string("storage", Some(snapshot.storage))
        .raw("storageError", "null")
        .string("crossTab", Some(snapshot.cross_tab.as_str()));
    // Written by this crate: always JSON.
    let state = from_json(&json.finish()).unwrap_or_default();
    for (key, error) in [
        ("lastError", &snapshot.last_error),
        ("storageError", &snapshot.storage_error),
    ] {
        if let Some(error) = error {
            set(&state, key, &to_js_error(error));
        }
    }
    state
}
