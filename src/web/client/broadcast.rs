//! Cookie mode's cross-tab channel (`BroadcastChannel`): with the refresh token in an httpOnly
//! cookie there is no storage event to follow, so tabs tell each other about new JWTs and
//! sign-outs. Closed when dropped.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::client::platform::TabMessage as Message;

/// An open channel and its listener.
pub struct TabChannel {
    channel: JsValue,
    _listener: Closure<dyn FnMut(JsValue)>,
}

impl TabChannel {
    /// Opens `name`; `None` where `BroadcastChannel` does not exist.
    pub fn open(name: &str, on_message: impl Fn(Message) + 'static) -> Option<TabChannel> {
        let class: Function = Reflect::get(&js_sys::global(), &"BroadcastChannel".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let channel = Reflect::construct(&class, &js_sys::Array::of1(&name.into())).ok()?;
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let data = Reflect::get(&event, &"data".into()).unwrap_or_default();
            let kind = Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|t| t.as_string());
            let token = Reflect::get(&data, &"token".into())
                .ok()
                .and_then(|t| t.as_string());
            match (kind.as_deref(), token) {
                (Some("token"), Some(token)) => on_message(Message::Token(token)),
                (Some("signout"), _) => on_message(Message::SignedOut),
                _ => {}
            }
        });
        Reflect::set(&channel, &"onmessage".into(), listener.as_ref()).ok()?;
        Some(TabChannel {
            channel,
            _listener: listener,
        })
    }

    /// Tells the other tabs.
    pub fn post(&self, message: &Message) {
        let data = Object::new();
        let (kind, token) = match message {
            Message::Token(token) => ("token", JsValue::from_str(token)),
            Message::SignedOut => ("signout", JsValue::UNDEFINED),
        };
        let _ = Reflect::set(&data, &"type".into(), &kind.into());
        let _ = Reflect::set(&data, &"token".into(), &token);
        if let Ok(post) = Reflect::get(&self.channel, &"postMessage".into())
            .and_then(|p| p.dyn_into::<Function>())
        {
            let _ = post.call1(&self.channel, &data);
        }
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        if let Ok(close) =
            Reflect::get(&self.channel, &"close".into()).and_then(|c| c.dyn_into::<Function>())
        {
            let _ = close.call0(&self.channel);
        }
    }
}
