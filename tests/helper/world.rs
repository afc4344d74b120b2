//! A fake world for the session flows (test-only): one fake clock, browser tabs that share
//! `localStorage`, a Web Lock and a cookie jar, and a fake Convex deployment that follows Convex
//! Auth's refresh-token rules (single use, a 10 s reuse window, branch revocation) and counts
//! every call. Time moves only when a test advances it.
#![allow(dead_code)]
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use futures::executor::{LocalPool, LocalSpawner};
use futures::task::LocalSpawnExt;
use serde_json::{Value, json};

use convex_auth_wasm::core::client::dialect::{Dialect, V2Api};
use convex_auth_wasm::core::client::manager::{Hydrated, Mode, SessionCore};
use convex_auth_wasm::core::client::platform::{
    LockFailure, Platform, PostRequest, PostResponse, SendFailure, TabMessage,
};
use convex_auth_wasm::core::client::storage::{ResilientStore, TokenStore};
use convex_auth_wasm::core::client::timing::Now;
use convex_auth_wasm::core::shared::deployment::Deployment;
use convex_auth_wasm::core::shared::error::Error;

use super::{b64, jwt};

pub const CLOUD: &str = "https://happy-otter-123.convex.cloud";
pub const SITE: &str = "https://happy-otter-123.convex.site";
pub const APP: &str = "https://app.example.com";
pub const ROUTE: &str = "/api/auth";
/// Fake network latency of every request, in milliseconds.
pub const LATENCY_MS: f64 = 30.0;

/// How the fake deployment answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Normally.
    None,
    /// Connections refused (no HTTP answer).
    Refuse,
    /// HTTP 503.
    Unavailable,
    /// No answer until the client's timeout.
    Hang,
    /// The next request hangs until the client's timeout; later ones are answered.
    HangOnce,
    /// HTTP 403 (a proxy refusing the route: a configuration problem, not an outage).
    Forbidden,
}

#[derive(Debug, Clone)]
struct RefreshToken {
    session: u32,
    first_used_ms: Option<f64>,
    child: Option<String>,
    revoked: bool,
}

/// The fake deployment's state and counters.
pub struct Backend {
    pub lifetime_s: i64,
    pub fault: Fault,
    pub refresh_calls: u32,
    pub sign_in_calls: u32,
    pub sign_out_calls: u32,
    /// The timeouts of the requests that hung, in milliseconds.
    pub timeouts_ms: Vec<u32>,
    pub function_calls: Vec<(String, Option<String>)>,
    /// Bearer tokens the HTTP API rejects with 401 (a revoked key, say).
    pub rejected_bearers: Vec<String>,
    /// Every refresh token a refresh presented, in order.
    pub presented: Vec<String>,
    sessions: HashMap<u32, bool>,
    tokens: HashMap<String, RefreshToken>,
    next_id: u32,
    /// OAuth codes issued, with the verifier they need.
    pub codes: HashMap<String, String>,
}

impl Backend {
    fn new(lifetime_s: i64) -> Self {
        Backend {
            lifetime_s,
            fault: Fault::None,
            refresh_calls: 0,
            sign_in_calls: 0,
            sign_out_calls: 0,
            timeouts_ms: Vec::new(),
            function_calls: Vec::new(),
            rejected_bearers: Vec::new(),
            presented: Vec::new(),
            sessions: HashMap::new(),
            tokens: HashMap::new(),
            next_id: 1,
            codes: HashMap::new(),
        }
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn mint(&mut self, session: u32, now: Now) -> Value {
        let id = self.id();
        let refresh = format!("rt{id}|s{session}");
        self.tokens.insert(
            refresh.clone(),
            RefreshToken {
                session,
                first_used_ms: None,
                child: None,
                revoked: false,
            },
        );
        json!({ "token": self.jwt(session, now), "refreshToken": refresh })
    }

    /// A JWT for `session`, issued `now`.
    fn jwt(&self, session: u32, now: Now) -> String {
        let iat = now.wall_seconds();
        let payload = format!(
            r#"{{"sub":"user{session}|s{session}","iat":{iat},"iss":"{SITE}","aud":"convex","exp":{}}}"#,
            iat + self.lifetime_s
        );
        jwt(r#"{"alg":"RS256"}"#, &payload)
    }

    /// `auth:signIn` with `{ refreshToken }`, by Convex Auth's rotation rules.
    fn refresh(&mut self, token: &str, now: Now) -> Value {
        self.refresh_calls += 1;
        self.presented.push(token.to_owned());
        let Some(entry) = self.tokens.get(token).cloned() else {
            return json!({ "tokens": null });
        };
        if entry.revoked || !self.sessions.get(&entry.session).copied().unwrap_or(false) {
            return json!({ "tokens": null });
        }
        match (entry.first_used_ms, entry.child.clone()) {
            (None, _) => self.rotate(token, entry.session, now),
            (Some(_), Some(child))
                if self
                    .tokens
                    .get(&child)
                    .is_some_and(|c| c.first_used_ms.is_none()) =>
            {
                json!({ "tokens": self.reissue(&child, entry.session, now) })
            }
            (Some(first), _) if now.wall_ms - first < 10_000.0 => {
                self.rotate(token, entry.session, now)
            }
            (Some(_), _) => {
                for t in self
                    .tokens
                    .values_mut()
                    .filter(|t| t.session == entry.session)
                {
                    t.revoked = true;
                }
                json!({ "tokens": null })
            }
        }
    }

    fn rotate(&mut self, token: &str, session: u32, now: Now) -> Value {
        let minted = self.mint(session, now);
        let child = minted["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some(entry) = self.tokens.get_mut(token) {
            entry.first_used_ms.get_or_insert(now.wall_ms);
            entry.child = Some(child);
        }
        json!({ "tokens": minted })
    }

    fn reissue(&mut self, child: &str, session: u32, now: Now) -> Value {
        json!({ "token": self.jwt(session, now), "refreshToken": child })
    }

    fn sign_in(&mut self, args: &Value, now: Now) -> Value {
        self.sign_in_calls += 1;
        if let Some(refresh) = args.get("refreshToken").and_then(Value::as_str) {
            self.sign_in_calls -= 1;
            return self.refresh(refresh, now);
        }
        if let Some(code) = args.pointer("/params/code").and_then(Value::as_str) {
            let verifier = args
                .get("verifier")
                .and_then(Value::as_str)
                .unwrap_or_default();
            return match self.codes.remove(code) {
                Some(expected) if expected == verifier => self.new_session(now),
                _ => json!({ "tokens": null }),
            };
        }
        match args.get("provider").and_then(Value::as_str) {
            Some("github") => {
                let code = format!("code{}", self.id());
                let verifier = format!("verifier{}", self.id());
                self.codes.insert(code.clone(), verifier.clone());
                json!({ "redirect": format!("https://github.com/login?state={code}"), "verifier": verifier })
            }
            Some("email") => json!({ "started": true }),
            Some("hostile") => json!({ "redirect": "javascript:alert(document.cookie)" }),
            _ => self.new_session(now),
        }
    }

    fn new_session(&mut self, now: Now) -> Value {
        let session = self.id();
        self.sessions.insert(session, true);
        json!({ "tokens": self.mint(session, now) })
    }

    /// Convex Auth 2: a new session's whole token bundle, as a sign-in method returns it.
    pub fn v2_sign_in(&mut self, now: Now) -> (String, String) {
        let tokens = self.new_session(now)["tokens"].clone();
        let text = |key: &str| tokens[key].as_str().unwrap_or_default().to_owned();
        (text("token"), text("refreshToken"))
    }

    /// Convex Auth 2's `signOut({refreshToken})`: ends the token's session, in any state.
    pub fn end_session_of(&mut self, refresh_token: &str) {
        if let Some(entry) = self.tokens.get(refresh_token) {
            self.sessions.insert(entry.session, false);
        }
    }

    /// Sessions the deployment still honours.
    pub fn live_sessions(&self) -> usize {
        self.sessions.values().filter(|&&live| live).count()
    }

    /// Ends the session whose JWT is `bearer`, if it has not expired (Convex sees no identity
    /// in an expired one).
    fn sign_out(&mut self, bearer: Option<&str>, now: Now) {
        self.sign_out_calls += 1;
        let session = bearer
            .and_then(|t| t.split('.').nth(1))
            .and_then(super::decode_b64)
            .and_then(|p| serde_json::from_slice::<Value>(&p).ok())
            .filter(|claims| {
                claims["exp"]
                    .as_f64()
                    .is_some_and(|exp| exp * 1000.0 > now.wall_ms)
            })
            .and_then(|claims| claims["sub"].as_str().map(str::to_owned))
            .and_then(|sub| sub.split("|s").nth(1).and_then(|s| s.parse::<u32>().ok()));
        if let Some(session) = session {
            self.sessions.insert(session, false);
        }
    }

    /// The HTTP API: `POST {cloud}/api/action` with `{ path, args, format }`.
    fn http_api(&mut self, request: &PostRequest, now: Now) -> (u16, Value) {
        let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
        let path = body["path"].as_str().unwrap_or_default().to_owned();
        let args = body["args"].clone();
        if let Some(bearer) = &request.bearer
            && self.rejected_bearers.contains(bearer)
        {
            return (
                401,
                json!({ "code": "InvalidAuthHeader", "message": "rejected" }),
            );
        }
        let value = match path.as_str() {
            "auth:refreshSession" => {
                v2_reply(self.refresh(args["refreshToken"].as_str().unwrap_or_default(), now))
            }
            "auth:signOut" if args.get("refreshToken").is_some() => {
                self.sign_out_calls += 1;
                self.end_session_of(args["refreshToken"].as_str().unwrap_or_default());
                Value::Null
            }
            "auth:signIn" => self.sign_in(&args, now),
            "auth:signOut" => {
                self.sign_out(request.bearer.as_deref(), now);
                Value::Null
            }
            _ => {
                self.function_calls
                    .push((path.clone(), request.bearer.clone()));
                json!({ "path": path, "authenticated": request.bearer.is_some() })
            }
        };
        (
            200,
            json!({ "status": "success", "value": value, "logLines": [] }),
        )
    }
}

/// Convex Auth 0.x's refresh answer in Convex Auth 2's words: `{kind:"rotated",tokens}` or
/// `{kind:"noSession"}`.
fn v2_reply(answer: Value) -> Value {
    match answer["tokens"].as_object() {
        Some(tokens) => json!({ "kind": "rotated", "tokens": {
            "accessToken": tokens["token"], "refreshToken": tokens["refreshToken"],
            "refreshTokenExpiresAt": 4.0e12, "userId": "user" } }),
        None => json!({ "kind": "noSession" }),
    }
}

/// A sleeping future's deadline on the monotonic clock.
struct Sleeper {
    at: f64,
    done: Rc<Cell<bool>>,
    waker: Option<Waker>,
}

/// The shared world: clock, executor, storage, lock, cookie jar, deployment and tabs.
pub struct World {
    pub clock: Cell<Now>,
    pub backend: RefCell<Backend>,
    pub storage: RefCell<HashMap<String, String>>,
    /// The cookie-mode refresh token (the httpOnly cookie of the app's origin).
    pub cookie: RefCell<Option<String>>,
    /// False: `navigator.locks` refuses every request (an opaque origin, say).
    pub locks_available: Cell<bool>,
    lock_holder: Cell<Option<u32>>,
    lock_waiters: RefCell<Vec<Waker>>,
    sleepers: RefCell<Vec<Sleeper>>,
    pool: RefCell<LocalPool>,
    spawner: LocalSpawner,
    tabs: RefCell<Vec<Weak<SessionCore<Tab>>>>,
    next_tab: Cell<u32>,
}

impl World {
    /// A world whose deployment mints JWTs living `lifetime_s` seconds.
    pub fn new(lifetime_s: i64) -> Rc<World> {
        let pool = LocalPool::new();
        let spawner = pool.spawner();
        Rc::new(World {
            clock: Cell::new(Now {
                wall_ms: 1_700_000_000_000.0,
                mono_ms: 1_000.0,
            }),
            backend: RefCell::new(Backend::new(lifetime_s)),
            storage: RefCell::new(HashMap::new()),
            cookie: RefCell::new(None),
            locks_available: Cell::new(true),
            lock_holder: Cell::new(None),
            lock_waiters: RefCell::new(Vec::new()),
            sleepers: RefCell::new(Vec::new()),
            pool: RefCell::new(pool),
            spawner,
            tabs: RefCell::new(Vec::new()),
            next_tab: Cell::new(0),
        })
    }

    /// Opens a tab with a session manager in `mode` (storage: the shared `localStorage`).
    pub fn open_tab(self: &Rc<Self>, mode: Mode) -> Rc<SessionCore<Tab>> {
        self.open_tab_with(mode, Hydrated::Unknown)
    }

    /// Opens a tab; in cookie mode, `hydrated` is what the server told the page.
    pub fn open_tab_with(self: &Rc<Self>, mode: Mode, hydrated: Hydrated) -> Rc<SessionCore<Tab>> {
        self.open_tab_in(mode, hydrated, Dialect::V0)
    }

    /// Opens a Convex Auth 2 tab (spa mode: the tokens in shared storage).
    pub fn open_v2_tab(self: &Rc<Self>) -> Rc<SessionCore<Tab>> {
        let api = V2Api {
            refresh_session: "auth:refreshSession".into(),
            sign_out: "auth:signOut".into(),
            via_app: false,
        };
        self.open_tab_in(Mode::Direct, Hydrated::Unknown, Dialect::V2(api))
    }

    fn open_tab_in(
        self: &Rc<Self>,
        mode: Mode,
        hydrated: Hydrated,
        dialect: Dialect,
    ) -> Rc<SessionCore<Tab>> {
        let id = self.next_tab.get() + 1;
        self.next_tab.set(id);
        let tab = Tab {
            id,
            world: Rc::downgrade(self),
            timer: Rc::new(RefCell::new(None)),
            timer_log: Rc::new(RefCell::new(Vec::new())),
            changes: Rc::new(Cell::new(0)),
            replaced_urls: Rc::new(RefCell::new(Vec::new())),
            referrer: RefCell::new(None),
        };
        let store: Box<dyn TokenStore> = Box::new(SharedStorage {
            world: Rc::downgrade(self),
            tab: id,
        });
        let (store, name) = match mode {
            Mode::Direct => (ResilientStore::new(Ok(store)), "localStorage"),
            Mode::Cookie { .. } => (ResilientStore::memory(), "cookie"),
        };
        let deployment = Deployment::new(CLOUD, None).unwrap_or_else(|e| panic!("{e}"));
        let session = SessionCore::new(tab, deployment, mode, dialect, CLOUD, store, name);
        self.tabs.borrow_mut().push(Rc::downgrade(&session));
        session.start(hydrated);
        self.run();
        session
    }

    /// Runs every task that can make progress now.
    pub fn run(&self) {
        self.pool.borrow_mut().run_until_stalled();
    }

    /// Runs a future to completion, advancing time as needed (at most `limit_ms`).
    pub fn block_on<T: 'static>(self: &Rc<Self>, future: impl Future<Output = T> + 'static) -> T {
        let slot = Rc::new(RefCell::new(None));
        let out = slot.clone();
        self.spawn(async move {
            *out.borrow_mut() = Some(future.await);
        });
        for _ in 0..100_000 {
            self.run();
            if let Some(value) = slot.borrow_mut().take() {
                return value;
            }
            if !self.step() {
                break;
            }
        }
        panic!("the future never finished");
    }

    /// Starts a future in the background; its output lands in the returned slot once it ends
    /// (time moves only with [`World::advance`]).
    pub fn start<T: 'static>(
        &self,
        future: impl Future<Output = T> + 'static,
    ) -> Rc<RefCell<Option<T>>> {
        let slot = Rc::new(RefCell::new(None));
        let out = slot.clone();
        self.spawn(async move {
            *out.borrow_mut() = Some(future.await);
        });
        self.run();
        slot
    }

    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        self.spawner
            .spawn_local(task)
            .unwrap_or_else(|e| panic!("spawn: {e}"));
    }

    /// Moves both clocks forward by `ms`, firing timers and waking sleepers on the way.
    pub fn advance(self: &Rc<Self>, ms: f64) {
        let target = self.clock.get().mono_ms + ms;
        self.run();
        while let Some(at) = self.next_event().filter(|at| *at <= target) {
            self.set_mono(at);
            self.fire_due();
            self.run();
        }
        self.set_mono(target);
        self.fire_due();
        self.run();
    }

    /// Jumps to the next timer or sleeper; false when there is none.
    fn step(self: &Rc<Self>) -> bool {
        let Some(at) = self.next_event() else {
            return false;
        };
        self.set_mono(at.max(self.clock.get().mono_ms));
        self.fire_due();
        true
    }

    fn set_mono(&self, mono: f64) {
        let now = self.clock.get();
        let delta = mono - now.mono_ms;
        self.clock.set(Now {
            wall_ms: now.wall_ms + delta,
            mono_ms: mono,
        });
    }

    /// Sets the wall clock back or forward without moving the monotonic one.
    pub fn jump_wall(&self, ms: f64) {
        let now = self.clock.get();
        self.clock.set(Now {
            wall_ms: now.wall_ms + ms,
            mono_ms: now.mono_ms,
        });
    }

    fn next_event(&self) -> Option<f64> {
        let sleepers = self.sleepers.borrow().iter().map(|s| s.at).reduce(f64::min);
        let timers = self
            .live_tabs()
            .iter()
            .filter_map(|t| *t.platform().timer.borrow())
            .reduce(f64::min);
        [sleepers, timers].into_iter().flatten().reduce(f64::min)
    }

    fn fire_due(self: &Rc<Self>) {
        let now = self.clock.get().mono_ms;
        let due: Vec<Sleeper> = {
            let mut sleepers = self.sleepers.borrow_mut();
            let (due, rest): (Vec<_>, Vec<_>) = sleepers.drain(..).partition(|s| s.at <= now);
            *sleepers = rest;
            due
        };
        for sleeper in due {
            sleeper.done.set(true);
            if let Some(waker) = sleeper.waker {
                waker.wake();
            }
        }
        for tab in self.live_tabs() {
            let fire = tab.platform().timer.borrow().is_some_and(|at| at <= now);
            if fire {
                *tab.platform().timer.borrow_mut() = None;
                tab.wake();
            }
        }
    }

    pub fn live_tabs(&self) -> Vec<Rc<SessionCore<Tab>>> {
        self.tabs
            .borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .collect()
    }

    fn sleep(self: &Rc<Self>, ms: f64) -> impl Future<Output = ()> + use<> {
        let done = Rc::new(Cell::new(false));
        self.sleepers.borrow_mut().push(Sleeper {
            at: self.clock.get().mono_ms + ms.max(0.0),
            done: done.clone(),
            waker: None,
        });
        let world = Rc::downgrade(self);
        poll_fn(move |cx| {
            if done.get() {
                return Poll::Ready(());
            }
            if let Some(world) = world.upgrade() {
                for s in world.sleepers.borrow_mut().iter_mut() {
                    if Rc::ptr_eq(&s.done, &done) {
                        s.waker = Some(cx.waker().clone());
                    }
                }
            }
            Poll::Pending
        })
    }

    /// Delivers a storage event to every tab but `writer`, as browsers do.
    fn storage_event(&self, writer: u32, key: String) {
        for tab in self
            .live_tabs()
            .into_iter()
            .filter(|t| t.platform().id != writer)
        {
            let key = key.clone();
            self.spawn(async move { tab.follow_storage(Some(&key)) });
        }
    }

    fn broadcast(&self, from: u32, message: TabMessage) {
        for tab in self
            .live_tabs()
            .into_iter()
            .filter(|t| t.platform().id != from)
        {
            let message = message.clone();
            self.spawn(async move { tab.follow_broadcast(message) });
        }
    }

    /// The app's auth route (cookie mode), as the official Next.js middleware serves it.
    fn route(&self, request: &PostRequest, now: Now) -> (u16, Value) {
        let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
        let mut args = body["args"].clone();
        let mut backend = self.backend.borrow_mut();
        let value = match body["action"].as_str() {
            Some("auth:signIn") if args.get("refreshToken").is_some() => {
                let Some(cookie) = self.cookie.borrow().clone() else {
                    return (200, json!({ "tokens": null }));
                };
                args["refreshToken"] = Value::String(cookie);
                backend.sign_in(&args, now)
            }
            Some("auth:signIn") => backend.sign_in(&args, now),
            _ => {
                backend.sign_out(None, now);
                *self.cookie.borrow_mut() = None;
                return (200, Value::Null);
            }
        };
        match value.get("tokens") {
            Some(Value::Null) => *self.cookie.borrow_mut() = None,
            Some(tokens) => {
                *self.cookie.borrow_mut() = tokens["refreshToken"].as_str().map(str::to_owned);
                let token = tokens["token"].clone();
                return (
                    200,
                    json!({ "tokens": { "token": token, "refreshToken": "dummy" } }),
                );
            }
            None => {}
        }
        (200, value)
    }

    async fn post(self: Rc<Self>, request: PostRequest) -> Result<PostResponse, SendFailure> {
        let fault = self.backend.borrow().fault;
        match fault {
            Fault::Hang | Fault::HangOnce => {
                if fault == Fault::HangOnce {
                    self.backend.borrow_mut().fault = Fault::None;
                }
                self.backend
                    .borrow_mut()
                    .timeouts_ms
                    .push(request.timeout_ms);
                self.sleep(f64::from(request.timeout_ms)).await;
                return Err(SendFailure::Timeout);
            }
            Fault::Refuse => {
                self.sleep(LATENCY_MS).await;
                return Err(SendFailure::Network("connection refused".into()));
            }
            _ => {}
        }
        self.sleep(LATENCY_MS / 2.0).await;
        // The server acts half-way through the round trip.
        let now = self.clock.get();
        let fault = self.backend.borrow().fault;
        let (status, value) = if fault == Fault::Unavailable {
            (503, json!({ "code": "ServiceUnavailable" }))
        } else if fault == Fault::Forbidden {
            (403, json!({ "code": "Forbidden" }))
        } else if request.url == ROUTE {
            self.route(&request, now)
        } else {
            self.backend.borrow_mut().http_api(&request, now)
        };
        self.sleep(LATENCY_MS / 2.0).await;
        Ok(PostResponse {
            status,
            body: value.to_string(),
            location: None,
        })
    }

    async fn lock(self: Rc<Self>, tab: u32) -> Result<LockGuard, LockFailure> {
        if !self.locks_available.get() {
            return Err(LockFailure::Unavailable(
                "SecurityError: opaque origin".into(),
            ));
        }
        let world = self.clone();
        poll_fn(move |cx| {
            if world.lock_holder.get().is_none() {
                world.lock_holder.set(Some(tab));
                return Poll::Ready(());
            }
            world.lock_waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
        .await;
        Ok(LockGuard {
            world: Rc::downgrade(&self),
            tab,
        })
    }

    /// Holds the lock forever, as a tab stuck in a refresh would.
    pub fn hold_lock_forever(&self) {
        self.lock_holder.set(Some(u32::MAX));
    }
}

/// The fake Web Lock; dropping it releases the lock and wakes the next tab in line.
pub struct LockGuard {
    world: Weak<World>,
    tab: u32,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(world) = self.world.upgrade()
            && world.lock_holder.get() == Some(self.tab)
        {
            world.lock_holder.set(None);
            for waker in world.lock_waiters.borrow_mut().drain(..) {
                waker.wake();
            }
        }
    }
}

/// One tab's `localStorage`: the world's, with storage events to the other tabs.
struct SharedStorage {
    world: Weak<World>,
    tab: u32,
}

impl TokenStore for SharedStorage {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self
            .world
            .upgrade()
            .and_then(|w| w.storage.borrow().get(key).cloned()))
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        if let Some(world) = self.world.upgrade() {
            world
                .storage
                .borrow_mut()
                .insert(key.to_owned(), value.to_owned());
            world.storage_event(self.tab, key.to_owned());
        }
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        if let Some(world) = self.world.upgrade() {
            world.storage.borrow_mut().remove(key);
            world.storage_event(self.tab, key.to_owned());
        }
        Ok(())
    }
}

/// One browser tab's platform.
pub struct Tab {
    pub id: u32,
    world: Weak<World>,
    /// When the wake-up timer fires (monotonic ms), if armed.
    pub timer: Rc<RefCell<Option<f64>>>,
    /// Every `arm_timer` call: the delay, or `None` for disarmed.
    pub timer_log: Rc<RefCell<Vec<Option<f64>>>>,
    pub changes: Rc<Cell<u32>>,
    pub replaced_urls: Rc<RefCell<Vec<String>>>,
    /// `document.referrer` of this tab's page.
    pub referrer: RefCell<Option<String>>,
}

impl Tab {
    fn world(&self) -> Rc<World> {
        self.world
            .upgrade()
            .unwrap_or_else(|| panic!("the world ended"))
    }
}

impl Platform for Tab {
    type LockGuard = LockGuard;

    fn now(&self) -> Now {
        self.world().clock.get()
    }
    fn random(&self) -> f64 {
        0.5
    }
    fn post(
        &self,
        request: PostRequest,
    ) -> impl Future<Output = Result<PostResponse, SendFailure>> + 'static {
        self.world().post(request)
    }
    fn lock(
        &self,
        _name: String,
    ) -> impl Future<Output = Result<LockGuard, LockFailure>> + 'static {
        self.world().lock(self.id)
    }
    fn has_locks(&self) -> bool {
        self.world().locks_available.get()
    }
    fn sleep(&self, ms: f64) -> impl Future<Output = ()> + 'static {
        self.world().sleep(ms)
    }
    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        self.world().spawn(task);
    }
    fn arm_timer(&self, delay_ms: Option<f64>) {
        self.timer_log.borrow_mut().push(delay_ms);
        let now = self.world().clock.get().mono_ms;
        *self.timer.borrow_mut() = delay_ms.map(|d| now + d);
    }
    fn changed(&self) {
        self.changes.set(self.changes.get() + 1);
    }
    fn broadcast(&self, message: &TabMessage) {
        self.world().broadcast(self.id, message.clone());
    }
    fn replace_url(&self, url: &str) {
        self.replaced_urls.borrow_mut().push(url.to_owned());
    }
    fn page_origin(&self) -> Option<String> {
        Some(APP.to_owned())
    }
    fn referrer(&self) -> Option<String> {
        self.referrer.borrow().clone()
    }
}

/// The cookie-mode configuration of the tests.
pub fn cookie_mode() -> Mode {
    Mode::Cookie {
        route: ROUTE.to_owned(),
    }
}

/// A JWT's `iat` (to tell tokens apart in assertions).
pub fn issued_at(token: &str) -> i64 {
    token
        .split('.')
        .nth(1)
        .and_then(super::decode_b64)
        .and_then(|p| serde_json::from_slice::<Value>(&p).ok())
        .and_then(|c| c["iat"].as_i64())
        .unwrap_or(-1)
}

/// base64url of a JSON value (for hand-made tokens).
pub fn b64_json(value: &Value) -> String {
    b64(value.to_string().as_bytes())
}
