//! The session's [`Platform`] in JavaScript: `Date.now` and `performance.now`, `fetch`, Web
//! Locks, `setTimeout`, `BroadcastChannel`, `history.replaceState`, and a callback that tells the
//! JS layer the state changed.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Weak;

use js_sys::Function;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::broadcast::TabChannel;
use super::locks::{self, LockGuard, acquire};
use crate::core::client::dialect::AppCall;
use crate::core::client::manager::SessionCore;
use crate::core::client::platform::{
    LockFailure, Platform, PostRequest, PostResponse, SendFailure, TabMessage,
};
use crate::core::client::timing::Now;
use crate::web::interop::fetch::{FetchFailure, TextRequest, send};
use crate::web::interop::timers::{Timer, sleep};
use crate::web::interop::values::{describe, get, get_path};
use wasm_bindgen_futures::JsFuture;

/// The session as the web layer holds it.
pub type WebSession = SessionCore<JsPlatform>;

/// JavaScript's side of the session.
pub struct JsPlatform {
    /// The session, for timer callbacks (set right after it is created).
    pub session: RefCell<Weak<WebSession>>,
    timer: RefCell<Option<Timer>>,
    on_change: Option<Function>,
    replace_url: Option<Function>,
    /// Cookie mode's channel to the other tabs.
    pub channel: RefCell<Option<TabChannel>>,
    auth_api: Option<AuthApi>,
}

/// Convex Auth 2: the app's own `authApi` (a browser `AuthClient`'s).
#[derive(Clone)]
pub struct AuthApi {
    /// The object itself (`this` of its methods).
    pub object: JsValue,
    /// `refreshSession(refreshToken?)`.
    pub refresh_session: Function,
    /// `signOut(refreshToken?)`.
    pub sign_out: Function,
}

/// Calls `api.<function>` (with `argument` when there is one; `this` is the `authApi` object)
/// and awaits it: the JSON text of what it resolved with (`None`: `undefined`), or what it threw
/// or rejected with.
async fn call_for_json(
    api: &JsValue,
    function: &Function,
    argument: Option<String>,
) -> Result<Option<String>, String> {
    let returned = match argument {
        Some(argument) => function.call1(api, &argument.into()),
        None => function.call0(api),
    }
    .map_err(|e| describe(&e))?;
    let value = JsFuture::from(js_sys::Promise::resolve(&returned))
        .await
        .map_err(|e| describe(&e))?;
    if value.is_undefined() {
        return Ok(None);
    }
    js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .map(Some)
        .ok_or_else(|| "it resolved with a value that is not JSON".to_owned())
}

impl JsPlatform {
    /// `on_change` is called (with no arguments) after every change; `replace_url` replaces
    /// `history.replaceState` for the code exchange when given; `auth_api` makes Convex Auth 2's
    /// calls when the app gave its own.
    pub fn new(
        on_change: Option<Function>,
        replace_url: Option<Function>,
        auth_api: Option<AuthApi>,
    ) -> Self {
        JsPlatform {
            session: RefCell::new(Weak::new()),
            timer: RefCell::new(None),
            on_change,
            replace_url,
            channel: RefCell::new(None),
            auth_api,
        }
    }

    /// Drops the timer and the channel.
    pub fn close(&self) {
        self.timer.borrow_mut().take();
        self.channel.borrow_mut().take();
    }
}

fn mono_ms() -> f64 {
    get_path(&js_sys::global(), &["performance"])
        .and_then(|p| {
            let now: Function = get(&p, "now")?.dyn_into().ok()?;
            now.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

async fn post_json(request: PostRequest) -> Result<PostResponse, SendFailure> {
    let sent = send(&TextRequest {
        method: "POST",
        url: &request.url,
        json_body: Some(&request.body),
        bearer: request.bearer.as_deref(),
        timeout_ms: request.timeout_ms,
    })
    .await;
    match sent {
        Ok(response) => Ok(PostResponse {
            status: response.status,
            body: response.body,
            location: response.location,
        }),
        Err(FetchFailure::Network(reason)) => Err(SendFailure::Network(reason)),
        Err(FetchFailure::Timeout) => Err(SendFailure::Timeout),
    }
}

impl Platform for JsPlatform {
    type LockGuard = LockGuard;

    fn now(&self) -> Now {
        Now {
            wall_ms: js_sys::Date::now(),
            mono_ms: mono_ms(),
        }
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn post(
        &self,
        request: PostRequest,
    ) -> impl Future<Output = Result<PostResponse, SendFailure>> + 'static {
        post_json(request)
    }

    fn lock(&self, name: String) -> impl Future<Output = Result<LockGuard, LockFailure>> + 'static {
        acquire(name)
    }

    fn call_app(
        &self,
        call: AppCall,
    ) -> impl Future<Output = Result<Option<String>, String>> + 'static {
        let api = self.auth_api.clone();
        async move {
            let Some(api) = api else {
                return Err("no authApi was given".to_owned());
            };
            let (function, argument) = match call {
                AppCall::Refresh(token) => (api.refresh_session, token),
                AppCall::SignOut(token) => (api.sign_out, token),
            };
            call_for_json(&api.object, &function, argument).await
        }
    }

    fn has_locks(&self) -> bool {
        locks::available()
    }

    fn sleep(&self, ms: f64) -> impl Future<Output = ()> + 'static {
        sleep(ms)
    }

    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        // Boxed: one copy of the task plumbing for every kind of task.
        let task: Pin<Box<dyn Future<Output = ()>>> = Box::pin(task);
        wasm_bindgen_futures::spawn_local(task);
    }

    fn arm_timer(&self, delay_ms: Option<f64>) {
        let weak = self.session.borrow().clone();
        let timer = delay_ms.and_then(|delay| {
            Timer::after(delay, move || {
                if let Some(session) = weak.upgrade() {
                    session.wake();
                }
            })
        });
        *self.timer.borrow_mut() = timer;
    }

    fn changed(&self) {
        if let Some(on_change) = &self.on_change {
            // A throwing listener must not break the session.
            let _ = on_change.call0(&JsValue::NULL);
        }
    }

    fn broadcast(&self, message: &TabMessage) {
        if let Some(channel) = self.channel.borrow().as_ref() {
            channel.post(message);
        }
    }

    fn replace_url(&self, url: &str) {
        if let Some(replace) = &self.replace_url {
            let _ = replace.call1(&JsValue::NULL, &url.into());
            return;
        }
        let Some(history) = get(&js_sys::global(), "history") else {
            return;
        };
        if let Some(replace) =
            get(&history, "replaceState").and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = replace.call3(&history, &JsValue::NULL, &"".into(), &url.into());
        }
    }

    fn page_origin(&self) -> Option<String> {
        get_path(&js_sys::global(), &["location", "origin"]).and_then(|o| o.as_string())
    }

    fn referrer(&self) -> Option<String> {
        get_path(&js_sys::global(), &["document", "referrer"])
            .and_then(|r| r.as_string())
            .filter(|r| !r.is_empty())
    }
}
