//! A `setTimeout` on `globalThis` that is cancelled when dropped; delays are clamped to
//! 2^31−1 ms (larger values fire at once in browsers).

use js_sys::{Function, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Longest delay `setTimeout` honours.
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A pending callback; dropping it cancels it.
pub struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

fn global_function(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

impl Timer {
    /// Calls `callback` after `delay_ms` (clamped to 0..=2^31−1); `None` where there are no timers.
    pub fn after(delay_ms: f64, callback: impl FnMut() + 'static) -> Option<Timer> {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let delay = if delay_ms.is_finite() {
            delay_ms.clamp(0.0, MAX_DELAY_MS)
        } else {
            MAX_DELAY_MS
        };
        let id = global_function("setTimeout")?
            .call2(
                &JsValue::NULL,
                callback.as_ref(),
                &JsValue::from(delay.floor()),
            )
            .ok()?;
        // Node returns a Timeout object: don't keep the process alive for a token refresh.
        if let Ok(unref) = Reflect::get(&id, &"unref".into()).and_then(|u| u.dyn_into::<Function>())
        {
            let _ = unref.call0(&id);
        }
        Some(Timer {
            id,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(clear) = global_function("clearTimeout") {
            let _ = clear.call1(&JsValue::NULL, &self.id);
        }
    }
}

/// Resolves after `ms` milliseconds (at once where there are no timers).
pub async fn sleep(ms: f64) {
    let mut slot = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        slot = Timer::after(ms, move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    if slot.is_some() {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    drop(slot);
}
