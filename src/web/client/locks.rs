//! The cross-tab lock: the Web Locks API (`navigator.locks`), requested with an `AbortSignal` so
//! a wait that is given up on leaves no request behind.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::client::platform::LockFailure;
use crate::web::interop::values::{describe, get, get_path, global, set};

/// Held while this tab owns the lock; dropping it releases the lock (the core decides how
/// long to keep it).
pub struct LockGuard {
    release: Function,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// Aborts a lock request that is still waiting when the wait is given up.
struct PendingRequest {
    controller: Option<JsValue>,
}

impl Drop for PendingRequest {
    fn drop(&mut self) {
        if let Some(controller) = self.controller.take()
            && let Some(abort) =
                get(&controller, "abort").and_then(|a| a.dyn_into::<Function>().ok())
        {
            let _ = abort.call0(&controller);
        }
    }
}

/// A promise and the functions that settle it.
fn deferred() -> (Promise, Function, Function) {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let (resolve, reject) =
        settle.unwrap_or_else(|| (Function::new_no_args(""), Function::new_no_args("")));
    (promise, resolve, reject)
}

/// Waits for the Web Lock `name`. `Unavailable` when there is no Web Locks API or it refuses the
/// request (an opaque origin, a document that is not fully active).
/// True when this runtime offers Web Locks (`navigator.locks.request`): browsers, not Node,
/// Bun or workerd.
pub fn available() -> bool {
    get_path(&js_sys::global(), &["navigator", "locks", "request"]).is_some_and(|r| r.is_function())
}

pub async fn acquire(name: String) -> Result<LockGuard, LockFailure> {
    let unavailable = |why: String| LockFailure::Unavailable(why);
    let locks = get_path(&js_sys::global(), &["navigator", "locks"])
        .ok_or_else(|| unavailable("navigator.locks is not available".into()))?;
    let request: Function = get(&locks, "request")
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(|| unavailable("navigator.locks.request is not a function".into()))?;
    let (acquired, on_acquired, on_failed) = deferred();
    let (held, release, _) = deferred();
    // Freed when called; a request that is never granted (aborted, refused) keeps this small
    // closure, which happens at most once per failure.
    let grant = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = on_acquired.call0(&JsValue::NULL);
        held.into()
    });
    let options: JsValue = Object::new().into();
    let mut pending = PendingRequest { controller: None };
    if let Some(class) = global("AbortController").and_then(|c| c.dyn_into::<Function>().ok())
        && let Ok(controller) = Reflect::construct(&class, &js_sys::Array::new())
    {
        set(
            &options,
            "signal",
            &get(&controller, "signal").unwrap_or_default(),
        );
        pending.controller = Some(controller);
    }
    let requested = request
        .call3(&locks, &JsValue::from_str(&name), &options, &grant)
        .map_err(|e| unavailable(describe(&e)))?;
    let requested: Promise = requested
        .dyn_into()
        .map_err(|_| unavailable("navigator.locks.request did not return a promise".into()))?;
    // A refused request rejects: that rejects the wait too (JS functions only, nothing to free).
    if let Some(catch) = get(&requested, "catch").and_then(|c| c.dyn_into::<Function>().ok()) {
        let _ = catch.call1(&requested, &on_failed);
    }
    let outcome = JsFuture::from(acquired).await;
    pending.controller = None; // granted or refused: nothing left to abort
    match outcome {
        Ok(_) => Ok(LockGuard { release }),
        Err(error) => Err(unavailable(describe(&error))),
    }
}
