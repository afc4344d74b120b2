//! Web Storage backends reached through `globalThis`, never `window`: absent (Node, workers,
//! SSR) or throwing (sandboxed frames, disabled cookies) storage is an error, not a crash.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use crate::core::error::{Error, ErrorKind};

fn unavailable(storage: &str, reason: impl Into<String>) -> Error {
    ErrorKind::StorageUnavailable {
        storage: storage.to_owned(),
        reason: reason.into(),
    }
    .into()
}

/// `globalThis.localStorage` or `globalThis.sessionStorage`, probed with a write.
pub fn web_storage(name: &str) -> Result<Storage, Error> {
    let value = Reflect::get(&js_sys::global(), &JsValue::from_str(name)).map_err(|_| {
        unavailable(
            name,
            "reading it threw (a sandboxed frame or blocked storage)",
        )
    })?;
    if value.is_undefined() || value.is_null() {
        return Err(unavailable(name, "not defined in this environment"));
    }
    let storage: Storage = value.unchecked_into();
    let probe = "__convexAuthWasmProbe";
    storage
        .set_item(probe, "1")
        .and_then(|()| storage.remove_item(probe))
        .map_err(|_| unavailable(name, "writing to it failed (private mode or quota)"))?;
    Ok(storage)
}

/// Reads a key; a throwing `getItem` reads as absent.
pub fn read(storage: &Storage, key: &str) -> Option<String> {
    storage.get_item(key).ok().flatten()
}
