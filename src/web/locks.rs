//! Cross-tab mutual exclusion with the Web Locks API (`navigator.locks`), where it exists.

use std::future::Future;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A promise and the function that resolves it.
fn deferred() -> (Promise, Function) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res, _rej| resolve = Some(res));
    (
        promise,
        resolve.unwrap_or_else(|| Function::new_no_args("")),
    )
}

fn lock_manager() -> Option<JsValue> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Runs `work` while holding the Web Lock `name` (exclusive across this origin's tabs and
/// workers), and keeps holding it `linger_ms` longer in the background: another tab's
/// `localStorage` sees this tab's writes only after a short propagation delay, so a tab that took
/// the lock at once could still read the old tokens. Without the Web Locks API, runs `work`
/// directly.
pub async fn with_lock<T>(name: &str, linger_ms: u32, work: impl Future<Output = T>) -> T {
    let Some(locks) = lock_manager() else {
        return work.await;
    };
    let (acquired, on_acquired) = deferred();
    let (released, release) = deferred();
    let hold = released.clone();
    let callback = Closure::once(move |_lock: JsValue| -> JsValue {
        let _ = on_acquired.call0(&JsValue::NULL);
        hold.into()
    });
    let request = Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<Function>().ok());
    let requested = request.is_some_and(|request| {
        request
            .call2(&locks, &JsValue::from_str(name), callback.as_ref())
            .is_ok()
    });
    if requested {
        let _ = JsFuture::from(acquired).await;
    }
    let result = work.await;
    let set_timeout = Reflect::get(&js_sys::global(), &"setTimeout".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let lingered = set_timeout.is_some_and(|set_timeout| {
        set_timeout
            .call2(&JsValue::NULL, &release, &JsValue::from(linger_ms))
            .is_ok()
    });
    if !lingered {
        let _ = release.call0(&JsValue::NULL);
    }
    drop(callback);
    result
}
