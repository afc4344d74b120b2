//! One refresh at a time: every caller in this tab joins the one in flight, and tabs take turns
//! under the official client's Web Lock. After taking the lock a tab re-reads storage (another
//! tab may have refreshed meanwhile), and it stores its answer only if storage still holds the
//! refresh token it started from.

use std::rc::Rc;

use super::calls::REQUEST_TIMEOUT_MS;
use super::{CrossTab, Mode, SessionCore};
use crate::core::client::dialect::{
    AppCall, Dialect, api_refresh_outcome, rotated_outcome, route_refresh_outcome, slim_outcome,
};
use crate::core::client::error::ClientError;
use crate::core::client::platform::{LockFailure, Platform, TabMessage};
use crate::core::client::protocol::{
    FunctionKind, function_body, refresh_args, refresh_outcome, route_body,
};
use crate::core::client::refresh::{
    AfterLock, Persist, after_lock, persist_after_refresh, refresh_timeout_ms,
};
use crate::core::client::session::{Applied, Origin, RefreshOutcome, RefreshTicket};
use crate::core::client::storage::{read_tokens, write_tokens};
use crate::core::client::task::{Either, Latch, race};
use crate::core::shared::error::Error;

/// The longest this tab waits for another tab to release the refresh lock, in milliseconds:
/// longer than a refresh request may take (its timeout), so only a stuck tab trips it.
pub const LOCK_TIMEOUT_MS: u32 = 25_000;

/// How long the lock is kept after a refresh has stored its answer: other tabs see this tab's
/// `localStorage` writes (or its cookie-mode broadcast) only after a short propagation delay,
/// so a tab that took the lock at once could still read the old tokens (measured ≤ 25 ms).
pub const LOCK_LINGER_MS: f64 = 150.0;

impl<P: Platform> SessionCore<P> {
    /// Starts a refresh, or joins the one in flight; the latch opens when it is over (whatever
    /// the outcome). Nothing happens when there is nothing to refresh.
    pub fn refresh(self: &Rc<Self>) -> Latch {
        if let Some(running) = self.refresh_done.borrow().as_ref() {
            return running.clone();
        }
        let Some(ticket) = self.session.borrow_mut().begin_refresh() else {
            return Latch::opened();
        };
        let done = Latch::new();
        *self.refresh_done.borrow_mut() = Some(done.clone());
        self.after_change();
        let this = self.clone();
        let finished = done.clone();
        self.platform.spawn(async move {
            this.run_refresh(ticket).await;
            this.refresh_done.borrow_mut().take();
            finished.open();
            this.after_change();
        });
        done
    }

    async fn run_refresh(self: &Rc<Self>, ticket: RefreshTicket) {
        let guard = match self.take_lock().await {
            Ok(guard) => guard,
            Err(error) => {
                self.finish(&ticket, RefreshOutcome::Transient(error));
                return;
            }
        };
        let stored = match self.mode {
            Mode::Direct => Some(read_tokens(&self.store, &self.keys).ok().flatten()),
            Mode::Cookie { .. } => None,
        };
        let generation = self.session.borrow().generation();
        match after_lock(&ticket, generation, stored) {
            AfterLock::Stale => self.session.borrow_mut().abandon_refresh(),
            AfterLock::Adopt(tokens) => {
                let now = self.platform.now();
                self.session.borrow_mut().adopt(tokens, Origin::Loaded, now);
            }
            AfterLock::SignedOutElsewhere => self.session.borrow_mut().sign_out(),
            AfterLock::Request => {
                let outcome = self.request_refresh(&ticket).await;
                self.finish(&ticket, outcome);
            }
        }
        self.release_later(guard);
    }

    /// Keeps the lock [`LOCK_LINGER_MS`] longer, in the background (this tab is not delayed).
    pub(super) fn release_later(&self, guard: Option<P::LockGuard>) {
        if let Some(guard) = guard {
            let linger = self.platform.sleep(LOCK_LINGER_MS);
            self.platform.spawn(async move {
                linger.await;
                drop(guard);
            });
        }
    }

    /// Takes the cross-tab lock, bounded by [`LOCK_TIMEOUT_MS`]. `Ok(None)`: no Web Locks here,
    /// so single flight within this tab is all there is (and `getState()` says so).
    pub(super) async fn take_lock(&self) -> Result<Option<P::LockGuard>, Error> {
        if self.cross_tab.get() == CrossTab::InTab {
            return Ok(None);
        }
        let lock = self.platform.lock(self.dialect.lock_name(&self.keys));
        let timeout = self.platform.sleep(f64::from(LOCK_TIMEOUT_MS));
        match race(lock, timeout).await {
            Either::Left(Ok(guard)) => Ok(Some(guard)),
            Either::Left(Err(LockFailure::Unavailable(_))) => {
                self.cross_tab.set(CrossTab::InTab);
                Ok(None)
            }
            Either::Right(()) => Err(ClientError::LockTimeout {
                waited_ms: LOCK_TIMEOUT_MS,
            }
            .into()),
        }
    }

    async fn request_refresh(&self, ticket: &RefreshTicket) -> RefreshOutcome {
        let refresh_token = ticket.refresh_token.as_str();
        let timeout_ms = ticket.lifetime.map_or(REQUEST_TIMEOUT_MS, |lifetime| {
            refresh_timeout_ms(lifetime, REQUEST_TIMEOUT_MS)
        });
        let cookie_mode = matches!(self.mode, Mode::Cookie { .. });
        if let Some(api) = self.dialect.v2()
            && api.via_app
        {
            let call = AppCall::Refresh((!cookie_mode).then(|| refresh_token.to_owned()));
            return match self.call_app(call).await {
                Ok(Some(value)) if cookie_mode => slim_outcome(&value),
                Ok(Some(value)) => rotated_outcome(&value),
                // Only an explicit answer ends a session: `undefined` is a refreshSession that
                // forgot to return.
                Ok(None) => RefreshOutcome::Transient(
                    ClientError::FunctionFailed {
                        path: "authApi.refreshSession".into(),
                        message: "it resolved with undefined".into(),
                        data: None,
                    }
                    .into(),
                ),
                Err(error) => RefreshOutcome::Transient(error),
            };
        }
        let (url, body) = match (&self.mode, &self.dialect) {
            (Mode::Cookie { route }, Dialect::V0) => (
                route.clone(),
                route_body("auth:signIn", &refresh_args("dummy")),
            ),
            (Mode::Cookie { route }, Dialect::V2(_)) => (format!("{route}/refresh"), "{}".into()),
            (Mode::Direct, Dialect::V0) => (
                self.function_url(FunctionKind::Action),
                function_body("auth:signIn", &refresh_args(refresh_token)),
            ),
            (Mode::Direct, Dialect::V2(api)) => (
                self.function_url(FunctionKind::Mutation),
                function_body(&api.refresh_session, &refresh_args(refresh_token)),
            ),
        };
        // No Authorization header: a stale JWT would fail the whole request.
        let (status, text) = match self.post_within(&url, &body, None, timeout_ms).await {
            Ok(answer) => answer,
            Err(error) => return RefreshOutcome::Transient(error),
        };
        match (&self.mode, &self.dialect) {
            (_, Dialect::V0) => refresh_outcome(&url, status, &text, cookie_mode),
            (Mode::Cookie { .. }, Dialect::V2(_)) => route_refresh_outcome(&url, status, &text),
            (Mode::Direct, Dialect::V2(api)) => {
                api_refresh_outcome(&api.refresh_session, &url, status, &text)
            }
        }
    }

    fn finish(self: &Rc<Self>, ticket: &RefreshTicket, outcome: RefreshOutcome) {
        let now = self.platform.now();
        let random = self.platform.random();
        let applied = self
            .session
            .borrow_mut()
            .finish_refresh(ticket, outcome, now, random);
        match &self.mode {
            Mode::Cookie { .. } => self.announce(&applied),
            Mode::Direct => self.persist(ticket, &applied),
        }
    }

    /// Cookie mode: the route owns the cookies; tell the other tabs.
    fn announce(&self, applied: &Applied) {
        let message = match applied {
            Applied::Adopted => match self.session.borrow().tokens() {
                Some(tokens) => TabMessage::Token(tokens.token.clone()),
                None => return,
            },
            Applied::SignedOut => TabMessage::SignedOut,
            Applied::WillRetry(_) | Applied::Stale => return,
        };
        self.platform.broadcast(&message);
    }

    /// Stores the answer, compare-and-set against the refresh token the refresh started from.
    fn persist(self: &Rc<Self>, ticket: &RefreshTicket, applied: &Applied) {
        let stored = read_tokens(&self.store, &self.keys).ok().flatten();
        let current = self.session.borrow().tokens().cloned();
        match persist_after_refresh(ticket, applied, current.as_ref(), stored) {
            Persist::Write(tokens) => {
                let _ = write_tokens(&self.store, &self.keys, Some(&tokens));
            }
            Persist::Clear => {
                let _ = write_tokens(&self.store, &self.keys, None);
            }
            Persist::Nothing => {}
            Persist::Follow(stored) => {
                let now = self.platform.now();
                let mut session = self.session.borrow_mut();
                match stored {
                    Some(tokens) => {
                        session.adopt(tokens, Origin::Loaded, now);
                    }
                    None => session.sign_out(),
                }
            }
        }
    }
}
