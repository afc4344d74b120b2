//! `SessionManager`: the browser side of Convex Auth. The core decides (session state machine,
//! protocol); this file owns the I/O: storage, timers, locks, events and requests.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use super::broadcast::{Message, TabChannel};
use super::fetch::{TextRequest, describe, send};
use super::interop::{option_value, optional_string, throw, to_js, to_js_error, wrong_type};
use super::locks::with_lock;
use super::page_events::PageEvents;
use super::storage::{ObjectStore, WebStore};
use super::timer::Timer;
use crate::core::deployment::{Deployment, same_origin};
use crate::core::error::{Error, ErrorKind};
use crate::core::protocol::{
    FunctionKind, SignInResult, function_body, function_result, refresh_args, refresh_outcome,
    route_body, sign_in_result,
};
use crate::core::session::{Applied, Phase, RefreshOutcome, Session, Tokens};
use crate::core::storage::{
    REFRESH_LOCK_NAME, ResilientStore, StorageKeys, TokenStore, read_tokens, write_tokens,
};

/// Timeout of auth and HTTP API requests, in milliseconds.
const REQUEST_TIMEOUT_MS: u32 = 20_000;

/// How long the refresh lock is kept after new tokens are stored, so that the next tab in line
/// sees them (storage propagates between tabs in a few milliseconds; measured ≤ 25 ms here).
const LOCK_LINGER_MS: u32 = 150;

#[wasm_bindgen(typescript_custom_section)]
const TS_SESSION: &str = r#"
/** Options of `new SessionManager(…)`. */
export interface SessionManagerOptions {
  /** The deployment's functions URL, e.g. "https://happy-otter-123.convex.cloud". */
  convexUrl: string;
  /** HTTP actions URL; derived from a Convex Cloud URL, required for self-hosted/local backends. */
  siteUrl?: string;
  /** Where tokens live; default "localStorage" (the official React client's keys). */
  storage?: "localStorage" | "sessionStorage" | "memory" | {
    getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void;
  };
  /** Storage key namespace; default `convexUrl` (as the official client). */
  namespace?: string;
  /** Cookie mode: the app's Convex Auth route (e.g. "/api/auth"); the refresh token stays in an httpOnly cookie. */
  nextjsApiRoute?: string;
}

/** A snapshot of the session. */
export interface SessionState {
  isLoading: boolean;
  isAuthenticated: boolean;
  userId: string | null;
  sessionId: string | null;
  /** The JWT's `exp` (seconds since the epoch), as the server wrote it. */
  expiresAt: number | null;
  isRefreshing: boolean;
  /** Consecutive transient refresh failures (the session is kept; retries back off). */
  refreshFailures: number;
  /** The last transient refresh failure, cleared by the next success. */
  lastError: ConvexAuthError | null;
  /** Where tokens are kept now; "memory" after the requested storage failed. */
  storage: "localStorage" | "sessionStorage" | "memory" | "custom" | "cookie";
  /** Why the requested storage is not used, if it failed. */
  storageError: ConvexAuthError | null;
}
"#;

/// The browser session: sign-in, token storage and refresh, and authenticated requests.
///
/// ```js
/// const session = new SessionManager({ convexUrl: process.env.NEXT_PUBLIC_CONVEX_URL });
/// convex.setAuth(session.fetchAccessToken);
/// await session.signIn("password", { email, password, flow: "signIn" });
/// const res = await session.fetch("/whoami");   // → https://…convex.site/whoami with the JWT
/// ```
#[wasm_bindgen]
pub struct SessionManager {
    client: Rc<Client>,
}

struct Client {
    deployment: Deployment,
    /// Cookie mode: the Next.js auth route.
    route: Option<String>,
    keys: StorageKeys,
    store: ResilientStore,
    storage_name: &'static str,
    session: RefCell<Session>,
    listeners: RefCell<Vec<(u32, Function)>>,
    next_listener: Cell<u32>,
    in_flight: RefCell<Option<Promise>>,
    timer: RefCell<Option<Timer>>,
    events: RefCell<Option<PageEvents>>,
    /// Cookie mode: tabs share new JWTs and sign-outs.
    channel: RefCell<Option<TabChannel>>,
    disposed: Cell<bool>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn js(err: Error) -> JsValue {
    to_js_error(&err)
}

#[wasm_bindgen]
impl SessionManager {
    /// Creates the session manager and starts loading the stored session (if any).
    /// Throws `ERR_CONFIG_INVALID` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SessionManagerOptions")] options: JsValue,
    ) -> Result<SessionManager, JsValue> {
        let convex_url = optional_string(&options, "convexUrl")?.unwrap_or_default();
        let site_url = optional_string(&options, "siteUrl")?;
        let deployment = throw(Deployment::new(&convex_url, site_url.as_deref()))?;
        let namespace = optional_string(&options, "namespace")?.unwrap_or(convex_url);
        let route = optional_string(&options, "nextjsApiRoute")?;
        let (store, storage_name) = match &route {
            Some(_) => (ResilientStore::memory(), "cookie"),
            None => open_store(&options)?,
        };
        let client = Rc::new(Client {
            deployment,
            route,
            keys: StorageKeys::for_namespace(&namespace),
            store,
            storage_name,
            session: RefCell::new(Session::new()),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            in_flight: RefCell::new(None),
            timer: RefCell::new(None),
            events: RefCell::new(None),
            channel: RefCell::new(None),
            disposed: Cell::new(false),
        });
        client.start();
        Ok(SessionManager { client })
    }

    /// Signs in with a provider: `("password", { email, password, flow: "signUp" | "signIn" })`,
    /// an OAuth provider (resolves with `redirect`; the browser should go there), or a code flow.
    #[wasm_bindgen(
        js_name = signIn,
        unchecked_return_type = "Promise<{ signingIn: boolean; redirect?: string }>"
    )]
    pub fn sign_in(
        &self,
        provider: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] params: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let params = json_value(&params)?.unwrap_or_else(|| json!({}));
            let mut args = json!({ "params": params });
            if let Some(provider) = provider {
                args["provider"] = Value::String(provider);
            }
            client.sign_in(args).await.map_err(js)
        })
    }

    /// Signs out: ends the session on the server (best effort) and clears the stored tokens.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(&self) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            client.sign_out().await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Completes an OAuth / magic-link sign-in when the page URL carries `?code=…`, and removes
    /// the code from the URL. Resolves `true` when a code was exchanged.
    #[wasm_bindgen(js_name = handleCodeFromUrl, unchecked_return_type = "Promise<boolean>")]
    pub fn handle_code_from_url(&self) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move { client.handle_code().await.map(JsValue::from).map_err(js) })
    }

    /// The current JWT for `ConvexReactClient.setAuth`, refreshed first when needed (or when
    /// `forceRefreshToken`). Resolves `null` when signed out. Never rejects on a transient error.
    #[wasm_bindgen(
        js_name = fetchAccessToken,
        unchecked_return_type = "Promise<string | null>"
    )]
    pub fn fetch_access_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ forceRefreshToken?: boolean }")] options: JsValue,
    ) -> Promise {
        let force = option_value(&options, "forceRefreshToken")
            .ok()
            .flatten()
            .is_some_and(|v| v.is_truthy());
        let client = self.client.clone();
        future_to_promise(async move {
            Ok(client
                .access_token(force)
                .await
                .map_or(JsValue::NULL, JsValue::from))
        })
    }

    /// `fetch` with the JWT, only ever to the deployment's site origin (HTTP actions). A relative
    /// path resolves against the site URL; any other origin rejects with `ERR_FOREIGN_ORIGIN`
    /// before a request is made. A 401 refreshes the token once and retries.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        input: &str,
        #[wasm_bindgen(unchecked_param_type = "RequestInit")] init: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        let target = client.deployment.resolve_site_request(input);
        future_to_promise(async move {
            let url = target.map_err(js)?;
            client.authed_fetch(url.as_str(), &init).await
        })
    }

    /// Runs a Convex action over the HTTP API (with the JWT when signed in).
    #[wasm_bindgen(unchecked_return_type = "Promise<any>")]
    pub fn action(&self, path: String, args: JsValue) -> Promise {
        self.call(FunctionKind::Action, path, args)
    }

    /// Runs a Convex query over the HTTP API (with the JWT when signed in).
    #[wasm_bindgen(unchecked_return_type = "Promise<any>")]
    pub fn query(&self, path: String, args: JsValue) -> Promise {
        self.call(FunctionKind::Query, path, args)
    }

    /// Runs a Convex mutation over the HTTP API (with the JWT when signed in).
    #[wasm_bindgen(unchecked_return_type = "Promise<any>")]
    pub fn mutation(&self, path: String, args: JsValue) -> Promise {
        self.call(FunctionKind::Mutation, path, args)
    }

    /// A snapshot of the session.
    #[wasm_bindgen(js_name = getState, unchecked_return_type = "SessionState")]
    pub fn get_state(&self) -> Result<JsValue, JsValue> {
        self.client.state()
    }

    /// Calls `listener(state)` on every change; returns the function that unsubscribes.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn subscribe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(state: SessionState) => void")] listener: Function,
    ) -> JsValue {
        let id = self.client.next_listener.get();
        self.client.next_listener.set(id + 1);
        self.client.listeners.borrow_mut().push((id, listener));
        let weak = Rc::downgrade(&self.client);
        Closure::once_into_js(move || {
            if let Some(client) = weak.upgrade() {
                client.listeners.borrow_mut().retain(|(i, _)| *i != id);
            }
        })
    }

    /// Stops timers and event listeners; later calls reject with `ERR_DISPOSED`.
    pub fn dispose(&self) {
        self.client.disposed.set(true);
        self.client.timer.borrow_mut().take();
        self.client.events.borrow_mut().take();
        self.client.channel.borrow_mut().take();
        self.client.listeners.borrow_mut().clear();
    }
}

impl SessionManager {
    fn call(&self, kind: FunctionKind, path: String, args: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let args = json_value(&args)?.unwrap_or_else(|| json!({}));
            let value = client.call_function(kind, &path, &args).await.map_err(js)?;
            to_js(&value)
        })
    }
}

fn open_store(options: &JsValue) -> Result<(ResilientStore, &'static str), JsValue> {
    let choice = option_value(options, "storage")?;
    let name = choice.as_ref().and_then(|c| c.as_string());
    Ok(match (choice, name.as_deref()) {
        (None, _) | (Some(_), Some("localStorage")) => (
            ResilientStore::new(
                WebStore::open("localStorage").map(|s| Box::new(s) as Box<dyn TokenStore>),
            ),
            "localStorage",
        ),
        (Some(_), Some("sessionStorage")) => (
            ResilientStore::new(
                WebStore::open("sessionStorage").map(|s| Box::new(s) as Box<dyn TokenStore>),
            ),
            "sessionStorage",
        ),
        (Some(_), Some("memory")) => (ResilientStore::memory(), "memory"),
        (Some(object), None) if object.is_object() => {
            let store = ObjectStore::new(object.clone()).ok_or_else(|| {
                wrong_type(
                    "storage",
                    &object,
                    "an object with getItem, setItem and removeItem",
                )
            })?;
            (ResilientStore::new(Ok(Box::new(store))), "custom")
        }
        (Some(other), _) => {
            return Err(wrong_type(
                "storage",
                &other,
                "\"localStorage\", \"sessionStorage\", \"memory\" or { getItem, setItem, removeItem }",
            ));
        }
    })
}

/// A JS value as JSON (via `JSON.stringify`); `None` for `undefined`.
fn json_value(value: &JsValue) -> Result<Option<Value>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(value)?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|_| wrong_type("args", value, "JSON-serialisable values"))
}

impl Client {
    /// Loads the stored session, binds page events and schedules the first refresh.
    fn start(self: &Rc<Self>) {
        let now = now_ms();
        match &self.route {
            Some(_) => self
                .session
                .borrow_mut()
                .load_refresh_only("dummy".into(), now),
            None => {
                let stored = read_tokens(&self.store, &self.keys).ok().flatten();
                self.session.borrow_mut().load(stored, now);
            }
        }
        let weak = Rc::downgrade(self);
        let on_wake = {
            let weak = weak.clone();
            move || {
                if let Some(client) = weak.upgrade() {
                    client.wake();
                }
            }
        };
        let on_storage = move |key: Option<String>| {
            if let Some(client) = weak.upgrade() {
                client.follow_other_tab(key);
            }
        };
        *self.events.borrow_mut() = PageEvents::bind(on_wake, on_storage);
        if self.route.is_some() {
            let weak = Rc::downgrade(self);
            let name = format!("convex-auth-wasm:{}", self.keys.jwt);
            *self.channel.borrow_mut() = TabChannel::open(&name, move |message| {
                if let Some(client) = weak.upgrade() {
                    client.follow_channel(message);
                }
            });
        }
        self.after_change();
    }

    /// Cookie mode: another tab refreshed or signed out.
    fn follow_channel(self: &Rc<Self>, message: Message) {
        if self.disposed.get() {
            return;
        }
        match message {
            Message::Token(token) => {
                let tokens = Tokens {
                    token,
                    refresh_token: "dummy".to_owned(),
                };
                self.session.borrow_mut().adopt(tokens, now_ms());
            }
            Message::SignedOut => self.session.borrow_mut().sign_out(),
        }
        self.after_change();
    }

    /// Called by timers and page events: refresh if due, else re-arm the timer. Recomputed from
    /// the clock every time, so a late timer (background tab, sleeping laptop) is harmless.
    fn wake(self: &Rc<Self>) {
        if self.disposed.get() {
            return;
        }
        if self.session.borrow().refresh_due(now_ms()) {
            let _ = self.refresh();
        } else {
            self.schedule();
        }
    }

    /// Another tab wrote or removed our JWT key (or cleared storage).
    fn follow_other_tab(self: &Rc<Self>, key: Option<String>) {
        if self.disposed.get() || self.route.is_some() {
            return;
        }
        if key.is_some_and(|k| k != self.keys.jwt && k != self.keys.refresh_token) {
            return;
        }
        let stored = read_tokens(&self.store, &self.keys).ok().flatten();
        let current = self.session.borrow().active().map(|a| a.tokens.clone());
        if stored == current {
            return;
        }
        match stored {
            Some(tokens) => {
                self.session.borrow_mut().adopt(tokens, now_ms());
            }
            None => self.session.borrow_mut().sign_out(),
        }
        self.after_change();
    }

    fn after_change(self: &Rc<Self>) {
        self.schedule();
        self.notify();
    }

    fn schedule(self: &Rc<Self>) {
        let due = self.session.borrow().next_refresh_at();
        let timer = due.filter(|_| !self.disposed.get()).and_then(|at| {
            let weak = Rc::downgrade(self);
            Timer::after(at - now_ms(), move || {
                if let Some(client) = weak.upgrade() {
                    client.wake();
                }
            })
        });
        *self.timer.borrow_mut() = timer;
    }

    fn notify(&self) {
        let Ok(state) = self.state() else {
            return;
        };
        let listeners: Vec<Function> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        for listener in listeners {
            // A throwing listener must not break the session or the other listeners.
            let _ = listener.call1(&JsValue::NULL, &state);
        }
    }

    fn state(&self) -> Result<JsValue, JsValue> {
        let session = self.session.borrow();
        let active = session.active();
        let text = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from_str);
        let error = |e: Option<Error>| e.map_or(JsValue::NULL, |e| to_js_error(&e));
        let state = Object::new();
        let storage = if self.store.failure().is_some() {
            "memory"
        } else {
            self.storage_name
        };
        for (key, value) in [
            (
                "isLoading",
                JsValue::from(session.phase() == Phase::Loading),
            ),
            (
                "isAuthenticated",
                JsValue::from(active.is_some() && session.phase() != Phase::SignedOut),
            ),
            ("userId", text(active.and_then(|a| a.user_id.as_deref()))),
            (
                "sessionId",
                text(active.and_then(|a| a.session_id.as_deref())),
            ),
            (
                "expiresAt",
                active
                    .and_then(|a| a.exp)
                    .map_or(JsValue::NULL, |e| JsValue::from(e as f64)),
            ),
            ("isRefreshing", JsValue::from(session.is_refreshing())),
            ("refreshFailures", JsValue::from(session.failures())),
            ("lastError", error(session.last_error().cloned())),
            ("storage", JsValue::from_str(storage)),
            ("storageError", error(self.store.failure())),
        ] {
            Reflect::set(&state, &key.into(), &value)?;
        }
        Ok(state.into())
    }

    /// Refreshes once: every caller in this tab shares one refresh, and tabs take turns under
    /// the official client's Web Lock. Resolves when done; never rejects.
    fn refresh(self: &Rc<Self>) -> Promise {
        if let Some(running) = self.in_flight.borrow().as_ref() {
            return running.clone();
        }
        let Some(ticket) = self.session.borrow_mut().begin_refresh() else {
            return Promise::resolve(&JsValue::UNDEFINED);
        };
        self.notify();
        let client = self.clone();
        let promise = future_to_promise(async move {
            with_lock(REFRESH_LOCK_NAME, LOCK_LINGER_MS, async {
                // Newer tokens arrived while we waited for the lock (another tab's): done.
                if client.session.borrow().generation() != ticket.generation {
                    return;
                }
                // Another tab may have refreshed while we waited for the lock: use its tokens.
                if client.route.is_none()
                    && let Ok(Some(stored)) = read_tokens(&client.store, &client.keys)
                    && stored.refresh_token != ticket.refresh_token
                {
                    let mut session = client.session.borrow_mut();
                    session.abandon_refresh();
                    if session.generation() == ticket.generation {
                        session.adopt(stored, now_ms());
                    }
                    return;
                }
                let outcome = client.request_refresh(&ticket.refresh_token).await;
                let applied = client.session.borrow_mut().finish_refresh(
                    &ticket,
                    outcome,
                    now_ms(),
                    js_sys::Math::random(),
                );
                client.persist(&applied);
            })
            .await;
            client.in_flight.borrow_mut().take();
            client.after_change();
            Ok(JsValue::UNDEFINED)
        });
        *self.in_flight.borrow_mut() = Some(promise.clone());
        promise
    }

    /// Stores or clears tokens after the session changed.
    fn persist(&self, applied: &Applied) {
        let tokens = self.session.borrow().active().map(|a| a.tokens.clone());
        if self.route.is_some() {
            // Cookie mode: the route owns the cookies; tell the other tabs.
            let message = match (applied, tokens) {
                (Applied::Adopted, Some(tokens)) => Message::Token(tokens.token),
                (Applied::SignedOut, _) => Message::SignedOut,
                _ => return,
            };
            if let Some(channel) = self.channel.borrow().as_ref() {
                channel.post(&message);
            }
            return;
        }
        match applied {
            Applied::Adopted => {
                let _ = write_tokens(&self.store, &self.keys, tokens.as_ref());
            }
            Applied::SignedOut => {
                let _ = write_tokens(&self.store, &self.keys, None);
            }
            Applied::WillRetry(_) | Applied::Stale => {}
        }
    }

    async fn request_refresh(&self, refresh_token: &str) -> RefreshOutcome {
        let (url, body, via_route) = match &self.route {
            Some(route) => (
                route.clone(),
                route_body("auth:signIn", &refresh_args("dummy")),
                true,
            ),
            None => (
                self.function_url(FunctionKind::Action),
                function_body("auth:signIn", &refresh_args(refresh_token)),
                false,
            ),
        };
        // No Authorization header: a stale JWT would fail the whole request.
        match self.post(&url, &body, None).await {
            Ok((status, text)) => refresh_outcome(&url, status, &text, via_route),
            Err(err) => RefreshOutcome::Transient(err),
        }
    }

    fn function_url(&self, kind: FunctionKind) -> String {
        format!(
            "{}{}",
            self.deployment.convex_url().as_str(),
            kind.endpoint()
        )
    }

    async fn post(
        &self,
        url: &str,
        body: &str,
        bearer: Option<&str>,
    ) -> Result<(u16, String), Error> {
        if self.disposed.get() {
            return Err(ErrorKind::Disposed.into());
        }
        let request = TextRequest {
            method: "POST",
            url,
            json_body: Some(body),
            bearer,
            timeout_ms: REQUEST_TIMEOUT_MS,
        };
        send(&request)
            .await
            .map(|r| (r.status, r.body))
            .map_err(|reason| network_error(url, reason))
    }

    async fn access_token(self: &Rc<Self>, force: bool) -> Option<String> {
        let needs_refresh = {
            let session = self.session.borrow();
            let now = now_ms();
            force
                || session.phase() == Phase::Loading
                || session.refresh_due(now)
                || session.is_refreshing()
                || session.usable_token(now).is_none()
        };
        if needs_refresh {
            let _ = JsFuture::from(self.refresh()).await;
        }
        self.session
            .borrow()
            .usable_token(now_ms())
            .map(str::to_owned)
    }

    async fn sign_in(self: &Rc<Self>, args: Value) -> Result<JsValue, Error> {
        let value = match &self.route {
            Some(route) => {
                let (status, text) = self
                    .post(route, &route_body("auth:signIn", &args), None)
                    .await?;
                serde_json::from_str::<Value>(&text).map_err(|_| -> Error {
                    ErrorKind::HttpStatus {
                        url: route.clone(),
                        status,
                        body: text.chars().take(300).collect(),
                    }
                    .into()
                })?
            }
            None => self
                .call_without_token(FunctionKind::Action, "auth:signIn", &args)
                .await
                .map_err(sign_in_error)?,
        };
        let outcome = sign_in_result(&value)?;
        let result = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&result, &k.into(), &v);
        };
        match outcome {
            SignInResult::Tokens(Some(tokens)) => {
                let applied = self.session.borrow_mut().adopt(tokens, now_ms());
                self.persist(&applied);
                set("signingIn", JsValue::from(applied == Applied::Adopted));
            }
            SignInResult::Tokens(None) => {
                self.session.borrow_mut().sign_out();
                self.persist(&Applied::SignedOut);
                set("signingIn", JsValue::FALSE);
            }
            SignInResult::Redirect { redirect, verifier } => {
                if let Some(verifier) = verifier {
                    let _ = self.store.set(&self.keys.oauth_verifier, &verifier);
                }
                set("signingIn", JsValue::FALSE);
                set("redirect", redirect.into());
            }
            SignInResult::Started => set("signingIn", JsValue::FALSE),
        }
        self.after_change();
        Ok(result.into())
    }

    async fn sign_out(self: &Rc<Self>) {
        let token = self
            .session
            .borrow()
            .usable_token(now_ms())
            .map(str::to_owned);
        let _ = match &self.route {
            Some(route) => {
                self.post(route, &route_body("auth:signOut", &json!({})), None)
                    .await
            }
            None => match token {
                Some(token) => {
                    let url = self.function_url(FunctionKind::Action);
                    self.post(
                        &url,
                        &function_body("auth:signOut", &json!({})),
                        Some(&token),
                    )
                    .await
                }
                None => Ok((200, String::new())),
            },
        };
        self.session.borrow_mut().sign_out();
        self.persist(&Applied::SignedOut);
        self.after_change();
    }

    async fn handle_code(self: &Rc<Self>) -> Result<bool, Error> {
        let Some(location) =
            get_path(&js_sys::global().into(), &["location", "href"]).and_then(|h| h.as_string())
        else {
            return Ok(false);
        };
        let Ok(mut url) = url::Url::parse(&location) else {
            return Ok(false);
        };
        let Some(code) = url
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
        else {
            return Ok(false);
        };
        // Remove the code from the address bar first: it is single-use.
        let rest: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "code")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(rest);
        if url.query() == Some("") {
            url.set_query(None);
        }
        replace_url(url.as_str());
        let verifier = self.store.get(&self.keys.oauth_verifier).ok().flatten();
        let _ = self.store.remove(&self.keys.oauth_verifier);
        let mut args = json!({ "params": { "code": code } });
        if let Some(verifier) = verifier {
            args["verifier"] = Value::String(verifier);
        }
        self.sign_in(args).await?;
        Ok(self.session.borrow().phase() == Phase::SignedIn)
    }

    /// A function call with the JWT when signed in; a 401 with a token refreshes once and
    /// retries.
    async fn call_function(
        self: &Rc<Self>,
        kind: FunctionKind,
        path: &str,
        args: &Value,
    ) -> Result<Value, Error> {
        let url = self.function_url(kind);
        let body = function_body(path, args);
        let token = self.access_token(false).await;
        let (status, text) = self.post(&url, &body, token.as_deref()).await?;
        if status == 401
            && token.is_some()
            && let Some(fresh) = self
                .access_token(true)
                .await
                .filter(|t| Some(t) != token.as_ref())
        {
            let (status, text) = self.post(&url, &body, Some(&fresh)).await?;
            return function_result(path, &url, status, &text);
        }
        function_result(path, &url, status, &text)
    }

    async fn call_without_token(
        &self,
        kind: FunctionKind,
        path: &str,
        args: &Value,
    ) -> Result<Value, Error> {
        let url = self.function_url(kind);
        let (status, text) = self.post(&url, &function_body(path, args), None).await?;
        function_result(path, &url, status, &text)
    }

    async fn authed_fetch(self: &Rc<Self>, url: &str, init: &JsValue) -> Result<JsValue, JsValue> {
        if self.disposed.get() {
            return Err(js(ErrorKind::Disposed.into()));
        }
        let token = self
            .access_token(false)
            .await
            .ok_or_else(|| js(ErrorKind::NotSignedIn.into()))?;
        let response = self.fetch_with(url, init, &token).await?;
        let status = Reflect::get(&response, &"status".into())?
            .as_f64()
            .unwrap_or(0.0);
        if status == 401.0
            && let Some(fresh) = self.access_token(true).await.filter(|t| *t != token)
        {
            return self.fetch_with(url, init, &fresh).await;
        }
        Ok(response)
    }

    async fn fetch_with(&self, url: &str, init: &JsValue, token: &str) -> Result<JsValue, JsValue> {
        let global: JsValue = js_sys::global().into();
        let headers_class: Function = Reflect::get(&global, &"Headers".into())?.dyn_into()?;
        let given = option_value(init, "headers")?.unwrap_or(JsValue::UNDEFINED);
        let headers = Reflect::construct(&headers_class, &js_sys::Array::of1(&given))?;
        let set: Function = Reflect::get(&headers, &"set".into())?.dyn_into()?;
        set.call2(
            &headers,
            &"authorization".into(),
            &format!("Bearer {token}").into(),
        )?;
        let request_init = Object::assign(
            &Object::new(),
            &Object::from(if init.is_object() {
                init.clone()
            } else {
                Object::new().into()
            }),
        );
        Reflect::set(&request_init, &"headers".into(), &headers)?;
        let fetch: Function = Reflect::get(&global, &"fetch".into())?.dyn_into()?;
        let promise: Promise = fetch
            .call2(&global, &url.into(), &request_init)?
            .dyn_into()?;
        JsFuture::from(promise)
            .await
            .map_err(|e| js(network_error(url, describe(&e))))
    }
}

/// A sign-in call's failure: a function error becomes `ERR_SIGN_IN_FAILED` with its message.
fn sign_in_error(err: Error) -> Error {
    match err.kind() {
        ErrorKind::FunctionFailed { message, .. } => ErrorKind::SignInFailed {
            message: message.clone(),
        }
        .into(),
        _ => err,
    }
}

/// No HTTP answer: `ERR_NETWORK_OR_CORS`, flagged cross-origin when the page is elsewhere.
fn network_error(url: &str, reason: String) -> Error {
    let page =
        get_path(&js_sys::global().into(), &["location", "origin"]).and_then(|o| o.as_string());
    ErrorKind::NetworkOrCors {
        url: url.to_owned(),
        reason,
        cross_origin: page.is_some_and(|page| !same_origin(&page, url)),
    }
    .into()
}

fn get_path(root: &JsValue, path: &[&str]) -> Option<JsValue> {
    path.iter().try_fold(root.clone(), |value, key| {
        Reflect::get(&value, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    })
}

fn replace_url(url: &str) {
    let Some(history) = get_path(&js_sys::global().into(), &["history"]) else {
        return;
    };
    if let Some(replace) =
        get_path(&history, &["replaceState"]).and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = replace.call3(&history, &JsValue::NULL, &"".into(), &url.into());
    }
}
