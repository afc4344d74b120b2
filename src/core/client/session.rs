//! The browser session's state machine: which tokens are current, when to refresh, what a refresh
//! outcome means. No I/O and no clock: callers pass [`Now`] and a random number for jitter.
//!
//! Tokens this tab received are timed by their own lifetime (`exp - iat`) from the moment of
//! receipt, so a skewed client clock does not matter. Tokens found in storage (or announced by
//! another tab) were received at an unknown time: they are judged by `exp` against the local wall
//! clock, capped at their lifetime. Only a definitive answer signs out; a network error, a timeout
//! or a 5xx keeps the session and retries with backoff. Each refresh carries the generation of
//! the tokens it started from, so a late answer to an older refresh never overwrites newer tokens.

use super::error::ClientError;
use super::refresh::{backoff_ms, refresh_margin_seconds};
use super::timing::{Deadline, Now};
use crate::core::shared::error::Error;
use crate::core::shared::token::{self, DEFAULT_MAX_TOKEN_BYTES};

pub use crate::core::shared::auth_wire::Tokens;

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not known yet: stored tokens that are no longer usable, or a cookie-mode page load, are
    /// being confirmed by a refresh.
    Loading,
    /// No session.
    SignedOut,
    /// A session, with a usable token or one confirmed by the server in this page.
    SignedIn,
}

/// How the current tokens reached this tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This tab's own sign-in or refresh answered with them just now.
    Received,
    /// Read from storage, or announced by another tab: received at an unknown time.
    Loaded,
}

/// The current token, decoded, with its local timing.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    /// The tokens.
    pub tokens: Tokens,
    /// `sub` before the `|`.
    pub user_id: Option<String>,
    /// `sub` after the `|`.
    pub session_id: Option<String>,
    /// `exp` as written in the token (the server's clock).
    pub exp: Option<i64>,
    /// When the token stops being usable.
    pub expires: Deadline,
    /// When to refresh it.
    pub refresh_at: Deadline,
    /// Its lifetime in seconds (`exp - iat`), which times its refresh.
    pub lifetime: i64,
}

/// What a refresh attempt came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshOutcome {
    /// New tokens.
    Tokens(Tokens),
    /// A definitive "this session is over".
    SignedOut,
    /// Try again later (network error, timeout, 5xx): the session is kept.
    Transient(Error),
}

/// What [`Session::finish_refresh`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// The new tokens are current (store them).
    Adopted,
    /// The session ended (clear the stored tokens).
    SignedOut,
    /// Kept the session; the next attempt is due in this many milliseconds.
    WillRetry(f64),
    /// The answer belongs to tokens that are no longer current: ignored.
    Stale,
}

/// A refresh in progress: which tokens it started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTicket {
    /// The session generation when the refresh began.
    pub generation: u64,
    /// The refresh token to send.
    pub refresh_token: String,
    /// The lifetime of the token being replaced (`None`: no token yet), which bounds how long
    /// the attempt may take (`refresh::refresh_timeout_ms`).
    pub lifetime: Option<i64>,
}

/// The session state.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    phase: Phase,
    active: Option<Active>,
    generation: u64,
    refreshing: bool,
    failures: u32,
    retry_at: Option<Deadline>,
    last_error: Option<Error>,
    /// A refresh token with no JWT yet (cookie mode at page load).
    pending_refresh: Option<String>,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            phase: Phase::Loading,
            active: None,
            generation: 0,
            refreshing: false,
            failures: 0,
            retry_at: None,
            last_error: None,
            pending_refresh: None,
        }
    }
}

impl Session {
    /// A session whose state is not known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts from tokens found at page load. A usable token is used at once and refreshed when
    /// its window comes; a token past its expiry (or within its last moments) is refreshed now,
    /// and the session stays [`Phase::Loading`] until that answers.
    pub fn load(&mut self, stored: Option<Tokens>, now: Now) {
        match stored {
            Some(tokens) => {
                self.adopt(tokens, Origin::Loaded, now);
            }
            None => self.set_signed_out(),
        }
    }

    /// Starts from a refresh token alone (cookie mode: the real one is in an httpOnly cookie and
    /// the JWT is obtained by refreshing at once).
    pub fn load_refresh_only(&mut self, refresh_token: String, now: Now) {
        self.set_signed_out();
        self.phase = Phase::Loading;
        self.pending_refresh = Some(refresh_token);
        self.retry_at = Some(now.plus(0.0));
    }

    /// Adopts tokens. A token that cannot be decoded means signed out.
    pub fn adopt(&mut self, tokens: Tokens, origin: Origin, now: Now) -> Applied {
        match decode_active(tokens, origin, now) {
            Some(active) => {
                let phase = if active.expires.passed(now) {
                    Phase::Loading
                } else {
                    Phase::SignedIn
                };
                self.set_active(active, phase);
                Applied::Adopted
            }
            None => {
                self.set_signed_out();
                Applied::SignedOut
            }
        }
    }

    /// Ends the session (sign-out here or in another tab).
    pub fn sign_out(&mut self) {
        self.set_signed_out();
    }

    /// The phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The current token and its timing.
    pub fn active(&self) -> Option<&Active> {
        self.active.as_ref()
    }

    /// The current tokens, if any.
    pub fn tokens(&self) -> Option<&Tokens> {
        self.active.as_ref().map(|a| &a.tokens)
    }

    /// True while a refresh is in flight.
    pub fn is_refreshing(&self) -> bool {
        self.refreshing
    }

    /// Consecutive transient refresh failures.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// True when refreshes keep failing in a way waiting will not fix: two or more in a row, the
    /// last an HTTP 4xx other than 408/429 (a route the proxy refuses, a missing route) — a
    /// configuration problem, not an outage. The session is kept; waiters stop waiting.
    pub fn refresh_misconfigured(&self) -> bool {
        let status =
            self.last_error
                .as_ref()
                .and_then(Error::client)
                .and_then(|error| match error {
                    ClientError::HttpStatus { status, .. } => Some(*status),
                    _ => None,
                });
        self.failures >= 2
            && status.is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429)
    }

    /// The last transient failure, cleared by the next success.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// The JWT, if it is still usable at `now`.
    pub fn usable_token(&self, now: Now) -> Option<&str> {
        self.active
            .as_ref()
            .filter(|a| !a.expires.passed(now))
            .map(|a| a.tokens.token.as_str())
    }

    /// Milliseconds until the next refresh (or retry) is due; `None` when nothing is to be done
    /// or a refresh is already running (so no timer is armed during a refresh).
    pub fn next_refresh_in(&self, now: Now) -> Option<f64> {
        if self.refreshing {
            return None;
        }
        let due = match &self.active {
            Some(active) => Some(self.retry_at.unwrap_or(active.refresh_at)),
            None => self.pending_refresh.as_ref().and(self.retry_at),
        };
        due.map(|d| d.remaining_ms(now).max(0.0))
    }

    /// True while retries back off after a transient failure (the next attempt is not due yet).
    pub fn backing_off(&self, now: Now) -> bool {
        !self.refreshing && self.failures > 0 && self.retry_at.is_some_and(|d| !d.passed(now))
    }

    /// True when a refresh is due at `now` and none is running.
    pub fn refresh_due(&self, now: Now) -> bool {
        self.next_refresh_in(now).is_some_and(|ms| ms <= 0.0)
    }

    /// Starts a refresh of the current tokens; `None` when there is nothing to refresh or one is
    /// already running (join that one instead).
    pub fn begin_refresh(&mut self) -> Option<RefreshTicket> {
        if self.refreshing {
            return None;
        }
        let refresh_token = match &self.active {
            Some(active) => active.tokens.refresh_token.clone(),
            None => self.pending_refresh.clone()?,
        };
        self.refreshing = true;
        Some(RefreshTicket {
            generation: self.generation,
            refresh_token,
            lifetime: self.active.as_ref().map(|active| active.lifetime),
        })
    }

    /// Records a failure nobody awaited (a code exchange at page load) for `getState().lastError`;
    /// the session itself is unchanged.
    pub fn report(&mut self, error: Error) {
        self.last_error = Some(error);
    }

    /// The generation of the current tokens (changes whenever they do).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Applies the outcome of the refresh `ticket` began.
    pub fn finish_refresh(
        &mut self,
        ticket: &RefreshTicket,
        outcome: RefreshOutcome,
        now: Now,
        random: f64,
    ) -> Applied {
        if ticket.generation != self.generation {
            // Newer tokens arrived meanwhile (another tab, a sign-in): this answer is obsolete.
            return Applied::Stale;
        }
        self.refreshing = false;
        match outcome {
            RefreshOutcome::Tokens(tokens) => self.adopt(tokens, Origin::Received, now),
            RefreshOutcome::SignedOut => {
                self.set_signed_out();
                Applied::SignedOut
            }
            RefreshOutcome::Transient(error) => {
                self.failures = self.failures.saturating_add(1);
                let delay = backoff_ms(self.failures, random);
                self.retry_at = Some(now.plus(delay));
                self.last_error = Some(error);
                Applied::WillRetry(delay)
            }
        }
    }

    /// Ends a refresh that never reached the server because it was not needed.
    pub fn abandon_refresh(&mut self) {
        self.refreshing = false;
    }

    fn set_active(&mut self, active: Active, phase: Phase) {
        self.generation = self.generation.wrapping_add(1);
        self.active = Some(active);
        self.pending_refresh = None;
        self.phase = phase;
        self.refreshing = false;
        self.failures = 0;
        self.retry_at = None;
        self.last_error = None;
    }

    fn set_signed_out(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.active = None;
        self.pending_refresh = None;
        self.phase = Phase::SignedOut;
        self.refreshing = false;
        self.failures = 0;
        self.retry_at = None;
        self.last_error = None;
    }
}

/// Decodes tokens and times them. The lifetime is `exp - iat`; a received token lives that long
/// from now, a loaded one until `exp` on the local clock, never longer than its lifetime.
fn decode_active(tokens: Tokens, origin: Origin, now: Now) -> Option<Active> {
    let decoded = token::decode(&tokens.token, DEFAULT_MAX_TOKEN_BYTES).ok()?;
    let exp = decoded.claims.exp;
    let until_exp = exp.map(|e| e.saturating_sub(now.wall_seconds()));
    let lifetime = decoded.issued_lifetime().or(until_exp)?.max(0);
    let remaining = match origin {
        Origin::Received => lifetime,
        Origin::Loaded => until_exp.unwrap_or(lifetime).clamp(0, lifetime),
    };
    let expires = now.plus(remaining as f64 * 1000.0);
    let refresh_at = expires.earlier_by(refresh_margin_seconds(lifetime) * 1000.0);
    let subject = decoded.subject();
    Some(Active {
        user_id: subject.as_ref().map(|s| s.user_id.to_owned()),
        session_id: subject.and_then(|s| s.session_id.map(str::to_owned)),
        exp,
        expires,
        refresh_at,
        lifetime,
        tokens,
    })
}
