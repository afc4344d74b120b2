//! `getState()`: the core's snapshot as a plain JS object.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::core::client::manager::Snapshot;
use crate::core::shared::error::Error;
use crate::web::interop::errors::to_js_error;
use crate::web::interop::values::set;

/// The snapshot as `SessionState`.
pub fn state_object(snapshot: &Snapshot) -> JsValue {
    let text = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    let error = |e: &Option<Error>| e.as_ref().map_or(JsValue::NULL, to_js_error);
    let state: JsValue = Object::new().into();
    for (key, value) in [
        ("isLoading", JsValue::from_bool(snapshot.is_loading)),
        (
            "isAuthenticated",
            JsValue::from_bool(snapshot.is_authenticated),
        ),
        ("hasToken", JsValue::from_bool(snapshot.has_token)),
        ("userId", text(&snapshot.user_id)),
        ("sessionId", text(&snapshot.session_id)),
        (
            "expiresAt",
            snapshot
                .expires_at
                .map_or(JsValue::NULL, |e| JsValue::from(e as f64)),
        ),
        ("isRefreshing", JsValue::from_bool(snapshot.is_refreshing)),
        ("refreshFailures", JsValue::from(snapshot.refresh_failures)),
        ("lastError", error(&snapshot.last_error)),
        ("storage", JsValue::from_str(snapshot.storage)),
        ("storageError", error(&snapshot.storage_error)),
        ("crossTab", JsValue::from_str(snapshot.cross_tab.as_str())),
    ] {
        set(&state, key, &value);
    }
    state
}
