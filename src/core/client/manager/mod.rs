//! The session manager's flows — load, wake-ups, refresh under the cross-tab lock, sign-in and
//! sign-out, the code exchange, tokens for callers, function calls — written once against
//! [`Platform`], so every decision runs natively under a fake clock and a fake backend.

mod auth;
mod calls;
mod refresh;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub use auth::SignInOutcome;
pub use calls::Wanted;

use super::dialect::{Dialect, cookie_tokens};
use super::platform::{Platform, TabMessage};
use super::session::{Origin, Phase, Session, Tokens};
use super::storage::{ResilientStore, StorageKeys, read_tokens};
use super::task::Latch;
use crate::core::shared::deployment::Deployment;
use crate::core::shared::error::Error;

/// Where the session's tokens live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// In a [`TokenStore`](super::storage::TokenStore) under the official client's keys.
    Direct,
    /// Cookie mode: the refresh token is an httpOnly cookie set by the app's auth route.
    Cookie {
        /// The route: 0.x's, e.g. `/api/auth`; Convex Auth 2's prefix of `/refresh` and
        /// `/signout`, e.g. `/auth`.
        route: String,
    },
}

/// What the server told the page about the session (cookie mode; ignored otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hydrated {
    /// Nothing: the page refreshes through the route to find out.
    Unknown,
    /// The JWT the server verified for this page.
    Token(String),
    /// The server saw no session: signed out, no call.
    SignedOut,
}

/// How refreshes are kept to one at a time across tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossTab {
    /// The official client's Web Lock (0.x: `__convexAuthRefreshToken`; Convex Auth 2:
    /// `__convexAuthRefreshToken_<ns>`).
    WebLocks,
    /// The Web Locks API is unavailable here: one refresh at a time within this tab only.
    InTab,
}

impl CrossTab {
    /// The name `getState()` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CrossTab::WebLocks => "web-locks",
            CrossTab::InTab => "in-tab",
        }
    }
}

/// A snapshot of the session, as `getState()` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Not known yet (a refresh is confirming the session).
    pub is_loading: bool,
    /// A session is held.
    pub is_authenticated: bool,
    /// A JWT that has not expired is at hand.
    pub has_token: bool,
    /// 0.x: `sub` before the `|` (Convex Auth 2's JWTs name no user).
    pub user_id: Option<String>,
    /// 0.x: `sub` after the `|`; Convex Auth 2: `sub`.
    pub session_id: Option<String>,
    /// The JWT's `exp`.
    pub expires_at: Option<i64>,
    /// A refresh is in flight.
    pub is_refreshing: bool,
    /// Consecutive transient refresh failures.
    pub refresh_failures: u32,
    /// The last transient failure.
    pub last_error: Option<Error>,
    /// Where tokens are kept now.
    pub storage: &'static str,
    /// Why the requested storage is not used, if it failed.
    pub storage_error: Option<Error>,
    /// How refreshes are serialised across tabs.
    pub cross_tab: CrossTab,
}

/// The browser session. Hold it in an `Rc`; the flows take `self: &Rc<Self>`.
pub struct SessionCore<P: Platform> {
    platform: P,
    deployment: Deployment,
    mode: Mode,
    dialect: Dialect,
    keys: StorageKeys,
    store: ResilientStore,
    storage_name: &'static str,
    session: RefCell<Session>,
    refresh_done: RefCell<Option<Latch>>,
    cross_tab: Cell<CrossTab>,
    /// The token `fetchAccessToken` handed out last ("newer than this" when forced).
    last_given: RefCell<Option<String>>,
    /// Opened (and replaced) at every change listeners hear of; waiters re-check then.
    changes: RefCell<Latch>,
    /// Whether a usable token was at hand when listeners were last told (its expiry is a change).
    reported_token: Cell<bool>,
    disposed: Cell<bool>,
}

impl<P: Platform> SessionCore<P> {
    /// A session for `deployment` in the `dialect` of its Convex Auth, keeping tokens in `store`
    /// (memory in cookie mode), under the keys of `namespace` (the official client uses the
    /// deployment URL). Call [`SessionCore::start`] next.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        platform: P,
        deployment: Deployment,
        mode: Mode,
        dialect: Dialect,
        namespace: &str,
        store: ResilientStore,
        storage_name: &'static str,
    ) -> Rc<Self> {
        let cross_tab = if platform.has_locks() {
            CrossTab::WebLocks
        } else {
            CrossTab::InTab
        };
        Rc::new(SessionCore {
            platform,
            deployment,
            mode,
            dialect,
            keys: StorageKeys::for_namespace(namespace),
            store,
            storage_name,
            session: RefCell::new(Session::new()),
            refresh_done: RefCell::new(None),
            cross_tab: Cell::new(cross_tab),
            last_given: RefCell::new(None),
            changes: RefCell::new(Latch::new()),
            reported_token: Cell::new(false),
            disposed: Cell::new(false),
        })
    }

    /// Loads the session: from storage, from what the server saw (cookie mode: its verified JWT,
    /// or that there is no session), or — in cookie mode without either — by refreshing through
    /// the route at once.
    pub fn start(self: &Rc<Self>, hydrated: Hydrated) {
        let now = self.platform.now();
        {
            let mut session = self.session.borrow_mut();
            match (&self.mode, hydrated) {
                (Mode::Cookie { .. }, Hydrated::Token(token)) => {
                    session.load(Some(cookie_tokens(token)), now)
                }
                (Mode::Cookie { .. }, Hydrated::SignedOut) => session.load(None, now),
                (Mode::Cookie { .. }, Hydrated::Unknown) => {
                    session.load_refresh_only("dummy".into(), now)
                }
                (Mode::Direct, _) => {
                    session.load(read_tokens(&self.store, &self.keys).ok().flatten(), now)
                }
            }
        }
        self.wake();
        self.notify();
    }

    /// The deployment.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// Where the tokens live.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// True once disposed.
    pub fn is_disposed(&self) -> bool {
        self.disposed.get()
    }

    /// A timer fired or the page woke up (focus, visibility, online): refresh if due, else
    /// re-arm the timer. Recomputed from the clocks each time, so a late timer is harmless.
    pub fn wake(self: &Rc<Self>) {
        if self.disposed.get() {
            return;
        }
        let now = self.platform.now();
        if self.session.borrow().refresh_due(now) {
            let _ = self.refresh();
            return;
        }
        let has_token = self.session.borrow().usable_token(now).is_some();
        if has_token != self.reported_token.get() {
            self.notify(); // the token expired (an outage outlasted it): that is a change too
        }
        self.schedule();
    }

    /// Another tab wrote or removed a key (`None`: storage was cleared).
    pub fn follow_storage(self: &Rc<Self>, key: Option<&str>) {
        if self.disposed.get() || self.mode != Mode::Direct {
            return;
        }
        if key.is_some_and(|k| k != self.keys.jwt && k != self.keys.refresh_token) {
            return;
        }
        let stored = read_tokens(&self.store, &self.keys).ok().flatten();
        if stored.as_ref() == self.session.borrow().tokens() {
            return;
        }
        self.follow(stored);
    }

    /// Cookie mode: another tab refreshed or signed out.
    pub fn follow_broadcast(self: &Rc<Self>, message: TabMessage) {
        if self.disposed.get() {
            return;
        }
        self.follow(match message {
            TabMessage::Token(token) => Some(cookie_tokens(token)),
            TabMessage::SignedOut => None,
        });
    }

    /// Stops the timer; later calls fail with `ERR_DISPOSED`.
    pub fn dispose(&self) {
        self.disposed.set(true);
        self.platform.arm_timer(None);
        self.changes.replace(Latch::new()).open();
    }

    /// The JWT, if it is usable now (no refresh).
    pub fn current_token(&self) -> Option<String> {
        self.session
            .borrow()
            .usable_token(self.platform.now())
            .map(str::to_owned)
    }

    /// The state as `getState()` reports it.
    pub fn snapshot(&self) -> Snapshot {
        let session = self.session.borrow();
        let active = session.active();
        let storage_error = self.store.failure();
        let (user_id, session_id) = match (&self.dialect, active) {
            (_, None) => (None, None),
            (Dialect::V0, Some(a)) => (a.user_id.clone(), a.session_id.clone()),
            // No `|` in Convex Auth 2's `sub`: all of it is the session's id.
            (Dialect::V2(_), Some(a)) => (None, a.user_id.clone()),
        };
        Snapshot {
            is_loading: session.phase() == Phase::Loading,
            is_authenticated: session.phase() == Phase::SignedIn,
            has_token: session.usable_token(self.platform.now()).is_some(),
            user_id,
            session_id,
            expires_at: active.and_then(|a| a.exp),
            is_refreshing: session.is_refreshing(),
            refresh_failures: session.failures(),
            last_error: session.last_error().cloned(),
            storage: if storage_error.is_some() {
                "memory"
            } else {
                self.storage_name
            },
            storage_error,
            cross_tab: self.cross_tab.get(),
        }
    }

    fn follow(self: &Rc<Self>, tokens: Option<Tokens>) {
        let now = self.platform.now();
        match tokens {
            Some(tokens) => {
                self.session.borrow_mut().adopt(tokens, Origin::Loaded, now);
            }
            None => self.session.borrow_mut().sign_out(),
        }
        self.after_change();
    }

    fn after_change(self: &Rc<Self>) {
        self.schedule();
        self.notify();
    }

    fn notify(&self) {
        let has_token = self
            .session
            .borrow()
            .usable_token(self.platform.now())
            .is_some();
        self.reported_token.set(has_token);
        self.changes.replace(Latch::new()).open();
        self.platform.changed();
    }

    /// Arms the timer for the next refresh, or for the token's expiry if that comes first (a
    /// change listeners must hear of). While a refresh runs only the expiry is armed (a refresh
    /// that hangs past it is still announced); nothing when there is nothing to do.
    fn schedule(&self) {
        let now = self.platform.now();
        let session = self.session.borrow();
        let delay = match session.next_refresh_in(now) {
            _ if self.disposed.get() => None,
            refresh => {
                let expiry = session
                    .active()
                    .map(|a| a.expires.remaining_ms(now))
                    .filter(|ms| *ms > 0.0);
                match (refresh, expiry) {
                    (Some(r), Some(e)) => Some(r.min(e)),
                    (r, e) => r.or(e),
                }
            }
        };
        drop(session);
        self.platform.arm_timer(delay);
    }
}
