//! Web Storage backends reached through `globalThis`, never `window`: absent (Node, workers,
//! SSR) or throwing (sandboxed frames, disabled cookies) storage is an error, not a crash.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use crate::core::client::ClientError;
use crate::core::client::storage::TokenStore;
use crate::core::shared::error::Error;

fn unavailable(storage: &str, reason: impl Into<String>) -> Error {
    ClientError::StorageUnavailable {
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

/// `localStorage` / `sessionStorage` as a [`TokenStore`]; a throwing call is an error.
pub struct WebStore {
    storage: Storage,
    name: String,
}

impl WebStore {
    /// Opens `globalThis[name]`.
    pub fn open(name: &str) -> Result<Self, Error> {
        Ok(WebStore {
            storage: web_storage(name)?,
            name: name.to_owned(),
        })
    }

    fn fault(&self, what: &str) -> Error {
        unavailable(&self.name, format!("{what} threw"))
    }
}

impl TokenStore for WebStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        self.storage
            .get_item(key)
            .map_err(|_| self.fault("getItem"))
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.storage
            .set_item(key, value)
            .map_err(|_| self.fault("setItem (quota?)"))
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        self.storage
            .remove_item(key)
            .map_err(|_| self.fault("removeItem"))
    }
}

/// The application's own `{ getItem, setItem, removeItem }` (synchronous) as a [`TokenStore`].
pub struct ObjectStore {
    object: JsValue,
    get_item: Function,
    set_item: Function,
    remove_item: Function,
}

impl ObjectStore {
    /// Wraps `object`; `None` when a method is missing.
    pub fn new(object: JsValue) -> Option<Self> {
        let method = |name: &str| -> Option<Function> {
            Reflect::get(&object, &JsValue::from_str(name))
                .ok()?
                .dyn_into()
                .ok()
        };
        Some(ObjectStore {
            get_item: method("getItem")?,
            set_item: method("setItem")?,
            remove_item: method("removeItem")?,
            object,
        })
    }

    fn fault(&self, what: &str) -> Error {
        unavailable("storage", format!("the custom store's {what} threw"))
    }
}

impl TokenStore for ObjectStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        let value = self
            .get_item
            .call1(&self.object, &key.into())
            .map_err(|_| self.fault("getItem"))?;
        if value.is_instance_of::<js_sys::Promise>() {
            return Err(unavailable(
                "storage",
                "getItem must return a string or null, not a Promise",
            ));
        }
        Ok(value.as_string())
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.set_item
            .call2(&self.object, &key.into(), &value.into())
            .map(|_| ())
            .map_err(|_| self.fault("setItem"))
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        self.remove_item
            .call1(&self.object, &key.into())
            .map(|_| ())
            .map_err(|_| self.fault("removeItem"))
    }
}
