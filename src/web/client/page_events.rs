//! Page events the session follows: `storage` (other tabs' token changes and sign-outs) and
//! `visibilitychange` / `online` / `focus` (wake-up checks after sleep or a background tab).
//! Listeners are removed when dropped.

use js_sys::{Function, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

struct Binding {
    target: JsValue,
    event: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

/// The bound listeners.
pub struct PageEvents(Vec<Binding>);

fn method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

fn listen(
    target: &JsValue,
    event: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
) -> Option<Binding> {
    method(target, "addEventListener")?
        .call2(target, &event.into(), callback.as_ref())
        .ok()?;
    Some(Binding {
        target: target.clone(),
        event,
        callback,
    })
}

impl PageEvents {
    /// Binds the listeners that exist here (none in Node or workers without a document).
    pub fn bind(
        on_wake: impl Fn() + Clone + 'static,
        on_storage: impl Fn(Option<String>) + 'static,
    ) -> Option<PageEvents> {
        let global: JsValue = js_sys::global().into();
        let mut bindings = Vec::new();
        for event in ["online", "focus"] {
            let on_wake = on_wake.clone();
            bindings.extend(listen(&global, event, Closure::new(move |_| on_wake())));
        }
        if let Ok(document) = Reflect::get(&global, &"document".into())
            && document.is_object()
        {
            let on_wake = on_wake.clone();
            bindings.extend(listen(
                &document,
                "visibilitychange",
                Closure::new(move |_| on_wake()),
            ));
        }
        bindings.extend(listen(
            &global,
            "storage",
            Closure::new(move |event: JsValue| {
                let key = Reflect::get(&event, &"key".into())
                    .ok()
                    .and_then(|k| k.as_string());
                on_storage(key);
            }),
        ));
        (!bindings.is_empty()).then_some(PageEvents(bindings))
    }
}

impl Drop for PageEvents {
    fn drop(&mut self) {
        for binding in &self.0 {
            if let Some(remove) = method(&binding.target, "removeEventListener") {
                let _ = remove.call2(
                    &binding.target,
                    &binding.event.into(),
                    binding.callback.as_ref(),
                );
            }
        }
    }
}
