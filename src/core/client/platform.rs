//! What the session needs from the world, as one trait: clocks, randomness, HTTP, the cross-tab
//! lock, timers, tasks, and a few page effects. The web layer implements it with `globalThis`
//! (fetch, `navigator.locks`, `setTimeout`, `performance.now`); tests implement it with a fake
//! clock, a fake backend and fake tabs.

use std::future::Future;

use super::dialect::AppCall;
use super::timing::Now;

/// A JSON `POST` (every request the session makes is one). Redirects are never followed: a
/// refresh token or a JWT must not be re-sent to wherever a 307 points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRequest {
    /// The URL.
    pub url: String,
    /// The JSON body.
    pub body: String,
    /// Sent as `Authorization: Bearer …`.
    pub bearer: Option<String>,
    /// Give up after this many milliseconds.
    pub timeout_ms: u32,
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostResponse {
    /// The status (0 for a redirect the runtime hides).
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// `Location`, for redirects, when the runtime shows it.
    pub location: Option<String>,
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// Offline, DNS, refused connection — or, in browsers, a CORS refusal.
    Network(String),
    /// No answer within the timeout.
    Timeout,
}

/// Why the cross-tab lock could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockFailure {
    /// The Web Locks API is missing or refused the request (opaque origin, a document that is not
    /// fully active): this tab falls back to single flight within itself.
    Unavailable(String),
}

/// A message between tabs in cookie mode (no storage events to follow there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabMessage {
    /// A new JWT (the refresh token stays in the cookie).
    Token(String),
    /// The session ended.
    SignedOut,
}

/// The world, as the session sees it.
pub trait Platform: 'static {
    /// Held while this tab owns the refresh lock; dropping it releases the lock.
    type LockGuard: 'static;

    /// Both clocks, read now.
    fn now(&self) -> Now;
    /// A random number in `0..1` (backoff jitter).
    fn random(&self) -> f64;
    /// Convex Auth 2 with the app's own `authApi`: makes `call` through it. Resolves with the
    /// JSON text of what it resolved with (`None`: `undefined`), or why it rejected.
    fn call_app(
        &self,
        call: AppCall,
    ) -> impl Future<Output = Result<Option<String>, String>> + 'static {
        let _ = call;
        async { Err("no authApi was given".to_owned()) }
    }
    /// Sends a JSON `POST`, never following redirects.
    fn post(
        &self,
        request: PostRequest,
    ) -> impl Future<Output = Result<PostResponse, SendFailure>> + 'static;
    /// Takes the cross-tab lock `name`, waiting for other tabs to release it.
    fn lock(
        &self,
        name: String,
    ) -> impl Future<Output = Result<Self::LockGuard, LockFailure>> + 'static;
    /// Whether [`Platform::lock`] can work here at all (a runtime without Web Locks says so
    /// from the start, so `getState().crossTab` is true before any refresh).
    fn has_locks(&self) -> bool {
        true
    }
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: f64) -> impl Future<Output = ()> + 'static;
    /// Runs `task` to completion in the background.
    fn spawn(&self, task: impl Future<Output = ()> + 'static);
    /// Arms the wake-up timer `delay_ms` from now, replacing the previous one; `None` disarms.
    fn arm_timer(&self, delay_ms: Option<f64>);
    /// The session's state changed (listeners are told).
    fn changed(&self);
    /// Tells the other tabs (cookie mode).
    fn broadcast(&self, message: &TabMessage);
    /// Replaces the page URL without a navigation (`history.replaceState`).
    fn replace_url(&self, url: &str);
    /// The page's origin, when there is a page (to tell CORS failures apart).
    fn page_origin(&self) -> Option<String>;
    /// Where the browser came from to this page (`document.referrer`), when it says.
    fn referrer(&self) -> Option<String> {
        None
    }
}
