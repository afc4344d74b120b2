//! `WasmSession`: the session manager's wasm half. The package's `SessionManager` (a thin JS
//! class) wraps it, adding listeners, bound methods and typed function references; every
//! decision is in the core.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::shared::json::{Map, Value};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::authed_fetch::authed_fetch;
use super::broadcast::TabChannel;
use super::options;
use super::page_events::PageEvents;
use super::platform::{JsPlatform, WebSession};
use super::state::state_object;
use crate::core::client::dialect::session_tokens;
use crate::core::client::manager::{Mode, SessionCore, SignInOutcome, Wanted};
use crate::core::client::protocol::FunctionKind;
use crate::core::shared::error::Error;
use crate::core::shared::json::{ObjectText, parse_value};
use crate::web::interop::errors::{to_js_error, wrong_type};
use crate::web::interop::promise::promise;
use crate::web::interop::values::{from_json, get_path, value_to_js};

fn js(err: Error) -> JsValue {
    to_js_error(&err)
}

/// The session manager's wasm half (use `SessionManager`, which wraps it).
#[wasm_bindgen]
pub struct WasmSession {
    session: Rc<WebSession>,
    events: RefCell<Option<PageEvents>>,
}

#[wasm_bindgen]
impl WasmSession {
    /// Creates the session and starts loading it; `on_change()` is called after every change.
    /// Throws `ERR_CONFIG_INVALID` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, on_change: Option<Function>) -> Result<WasmSession, JsValue> {
        let config = options::parse(&options)?;
        let cookie_mode = matches!(config.mode, Mode::Cookie { .. });
        let platform = JsPlatform::new(on_change, config.replace_url, config.auth_api);
        let session = SessionCore::new(
            platform,
            config.deployment,
            config.mode,
            config.dialect,
            &config.namespace,
            config.store,
            config.storage_name,
        );
        *session.platform().session.borrow_mut() = Rc::downgrade(&session);
        if cookie_mode {
            let weak = Rc::downgrade(&session);
            let name = format!("convex-auth-wasm:{}", config.namespace);
            *session.platform().channel.borrow_mut() = TabChannel::open(&name, move |message| {
                if let Some(session) = weak.upgrade() {
                    session.follow_broadcast(message);
                }
            });
        }
        let events = bind_page_events(&session);
        session.start(config.hydrated);
        if let Some(failure) = config.sign_in_failure {
            let location = get_path(&js_sys::global(), &["location", "href"])
                .and_then(|h| h.as_string())
                .unwrap_or_default();
            session.report_sign_in_failure(failure, &location);
        }
        Ok(WasmSession {
            session,
            events: RefCell::new(events),
        })
    }

    /// `auth:signIn`; resolves `{ signingIn, redirect?, started? }`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, provider: Option<String>, params: JsValue) -> Promise {
        let session = self.session.clone();
        promise(async move {
            let params =
                json_value(&params, "params")?.unwrap_or_else(|| Value::Object(Map::new()));
            let mut args = Map::new();
            args.insert("params".to_owned(), params);
            if let Some(provider) = provider {
                args.insert("provider".to_owned(), provider.into());
            }
            let outcome = session.sign_in(Value::Object(args)).await.map_err(js)?;
            sign_in_object(&outcome)
        })
    }

    /// Convex Auth 2: adopts the session a sign-in method returned (`{ accessToken,
    /// refreshToken? }`); rejects with `ERR_SESSION_INVALID` for a shape this mode cannot keep.
    #[wasm_bindgen(js_name = setSession)]
    pub fn set_session(&self, session: JsValue) -> Promise {
        let core = self.session.clone();
        promise(async move {
            let text = |key: &str| get_path(&session, &[key]).and_then(|v| v.as_string());
            let cookie_mode = matches!(core.mode(), Mode::Cookie { .. });
            let tokens = session_tokens(text("accessToken"), text("refreshToken"), cookie_mode)
                .map_err(js)?;
            core.set_session(tokens).await.map_err(js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Signs out here, in the other tabs, and on the server.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) -> Promise {
        let session = self.session.clone();
        promise(async move {
            session.sign_out().await.map_err(js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Exchanges a `?code=` in `location` (default: the page URL); resolves `true` when that
    /// signed the user in.
    #[wasm_bindgen(js_name = handleCode)]
    pub fn handle_code(&self, location: Option<String>) -> Promise {
        let session = self.session.clone();
        let location = location.or_else(|| {
            get_path(&js_sys::global(), &["location", "href"]).and_then(|h| h.as_string())
        });
        promise(async move {
            let Some(location) = location else {
                return Ok(JsValue::FALSE);
            };
            let done = session.handle_code(&location).await.map_err(js)?;
            Ok(JsValue::from_bool(done))
        })
    }

    /// A JWT for `ConvexReactClient`; `force`: one newer than the last handed out —
    /// `connected`: the caller's connection still works with that one (wait until it is due).
    #[wasm_bindgen(js_name = fetchAccessToken)]
    pub fn fetch_access_token(&self, force: bool, connected: bool) -> Promise {
        let session = self.session.clone();
        let wanted = match (force, connected) {
            (false, _) => Wanted::Current,
            (true, true) => Wanted::Successor,
            (true, false) => Wanted::Replacement,
        };
        promise(async move {
            let token = session.fetch_access_token(wanted).await;
            Ok(token.map_or(JsValue::NULL, JsValue::from))
        })
    }

    /// `fetch` with the JWT, to the site origin only.
    pub fn fetch(&self, input: String, init: JsValue) -> Promise {
        let session = self.session.clone();
        promise(async move { authed_fetch(&session, &input, &init).await })
    }

    /// Runs a function (`kind`: "query", "mutation" or "action") over the HTTP API.
    pub fn call(&self, kind: &str, path: String, args: JsValue) -> Promise {
        let session = self.session.clone();
        let kind = match kind {
            "query" => FunctionKind::Query,
            "mutation" => FunctionKind::Mutation,
            _ => FunctionKind::Action,
        };
        promise(async move {
            let args = json_value(&args, "args")?.unwrap_or_else(|| Value::Object(Map::new()));
            let value = session
                .call_function(kind, &path, &args)
                .await
                .map_err(js)?;
            value_to_js(&value)
        })
    }

    /// The current JWT if it is usable now, without refreshing.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self) -> Option<String> {
        self.session.current_token()
    }

    /// A snapshot of the session.
    #[wasm_bindgen(js_name = getState)]
    pub fn get_state(&self) -> JsValue {
        state_object(&self.session.snapshot())
    }

    /// Stops timers, listeners and the tab channel; later calls reject with `ERR_DISPOSED`.
    pub fn dispose(&self) {
        self.session.dispose();
        self.session.platform().close();
        self.events.borrow_mut().take();
    }
}

fn bind_page_events(session: &Rc<WebSession>) -> Option<PageEvents> {
    let wake = Rc::downgrade(session);
    let storage = Rc::downgrade(session);
    PageEvents::bind(
        move || {
            if let Some(session) = wake.upgrade() {
                session.wake();
            }
        },
        move |key: Option<String>| {
            if let Some(session) = storage.upgrade() {
                session.follow_storage(key.as_deref());
            }
        },
    )
}

fn sign_in_object(outcome: &SignInOutcome) -> Result<JsValue, JsValue> {
    let mut json = ObjectText::default();
    json.boolean("signingIn", *outcome == SignInOutcome::SignedIn);
    match outcome {
        SignInOutcome::Redirect(url) => json.string("redirect", Some(url)),
        SignInOutcome::Started => json.boolean("started", true),
        SignInOutcome::SignedIn | SignInOutcome::SignedOut => &mut json,
    };
    from_json(&json.finish())
}

/// A JS value as JSON (via `JSON.stringify`); `None` for `undefined`.
fn json_value(value: &JsValue, what: &'static str) -> Result<Option<Value>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| wrong_type(what, value, "JSON-serialisable values"))?;
    parse_value(text.as_bytes())
        .map(Some)
        .map_err(|_| wrong_type(what, value, "JSON-serialisable values"))
}
