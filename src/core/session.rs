//! The browser session's state machine: which tokens are current, when to refresh, what a refresh
//! outcome means. No I/O and no clock: the web layer passes `now_ms` (local clock, milliseconds)
//! and a random number for jitter, performs the requests, and reports outcomes back.
//!
//! Refresh timing comes from the token's own lifetime (`exp - iat`) measured from the LOCAL time
//! of receipt, so a skewed client clock does not matter. Only a definitive answer signs out
//! (`{"tokens":null}`, or a definitive 4xx from the Next.js auth route); a network error, a
//! timeout or a 5xx keeps the session and retries with exponential backoff and jitter. Each
//! refresh carries the generation of the tokens it started from, so a late answer to an older
//! refresh never overwrites newer tokens.

use super::error::Error;
use super::token::{self, DEFAULT_MAX_TOKEN_BYTES};

/// A JWT and the refresh token that goes with it (`"dummy"` in cookie mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// The access token (JWT).
    pub token: String,
    /// The refresh token, opaque.
    pub refresh_token: String,
}

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not known yet (stored tokens are being confirmed by a first refresh).
    Loading,
    /// No session.
    SignedOut,
    /// A session with a usable (or refreshable) token.
    SignedIn,
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
    /// When the token stops being usable, on the LOCAL clock (ms).
    pub expires_local_ms: f64,
    /// When to refresh it, on the LOCAL clock (ms).
    pub refresh_at_ms: f64,
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
    /// Kept the session; the next attempt is due at this local time (ms).
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
}

/// Seconds before expiry to refresh: a tenth of the lifetime, at least 10 s and at most 60 s,
/// and never more than half the lifetime (for very short-lived tokens).
pub fn refresh_margin_seconds(lifetime: i64) -> f64 {
    let margin = (lifetime as f64 / 10.0).clamp(10.0, 60.0);
    margin.min(lifetime as f64 / 2.0).max(0.0)
}

/// Backoff before retry number `failures` (1-based): 1 s doubling to 60 s, times a jitter factor
/// in 0.5..1.0 drawn from `random` (0..1).
pub fn backoff_ms(failures: u32, random: f64) -> f64 {
    let base = 1000.0 * 2f64.powi(failures.saturating_sub(1).min(16) as i32);
    base.min(60_000.0) * (0.5 + random.clamp(0.0, 1.0) / 2.0)
}

/// The session state.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    phase: Phase,
    active: Option<Active>,
    generation: u64,
    refreshing: bool,
    failures: u32,
    retry_at_ms: Option<f64>,
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
            retry_at_ms: None,
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

    /// Starts from tokens found in storage at page load: they are kept (Loading) and refreshed
    /// at once, as the official client does, which also confirms the session with the server.
    pub fn load(&mut self, stored: Option<Tokens>, now_ms: f64) {
        match stored.and_then(|t| decode_active(t, now_ms)) {
            Some(mut active) => {
                active.refresh_at_ms = now_ms;
                self.set_active(active, Phase::Loading);
            }
            None => self.set_signed_out(),
        }
    }

    /// Starts from a refresh token alone (cookie mode: the real one is in an httpOnly cookie and
    /// the JWT is obtained by refreshing at once).
    pub fn load_refresh_only(&mut self, refresh_token: String, now_ms: f64) {
        self.set_signed_out();
        self.phase = Phase::Loading;
        self.pending_refresh = Some(refresh_token);
        self.retry_at_ms = Some(now_ms);
    }

    /// Adopts tokens received now (sign-in, another tab's refresh). A token that cannot be
    /// decoded means signed out.
    pub fn adopt(&mut self, tokens: Tokens, now_ms: f64) -> Applied {
        match decode_active(tokens, now_ms) {
            Some(active) => {
                self.set_active(active, Phase::SignedIn);
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

    /// True while a refresh is in flight.
    pub fn is_refreshing(&self) -> bool {
        self.refreshing
    }

    /// Consecutive transient refresh failures.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The last transient failure, cleared by the next success.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// The JWT, if it is still usable at `now_ms` (local clock).
    pub fn usable_token(&self, now_ms: f64) -> Option<&str> {
        self.active
            .as_ref()
            .filter(|a| now_ms < a.expires_local_ms)
            .map(|a| a.tokens.token.as_str())
    }

    /// When the next refresh (or retry) is due, on the local clock; `None` when signed out.
    pub fn next_refresh_at(&self) -> Option<f64> {
        match &self.active {
            Some(active) => Some(self.retry_at_ms.unwrap_or(active.refresh_at_ms)),
            None => self.pending_refresh.as_ref().and(self.retry_at_ms),
        }
    }

    /// True when a refresh is due at `now_ms` and none is running.
    pub fn refresh_due(&self, now_ms: f64) -> bool {
        !self.refreshing && self.next_refresh_at().is_some_and(|at| now_ms >= at)
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
        })
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
        now_ms: f64,
        random: f64,
    ) -> Applied {
        if ticket.generation != self.generation {
            // Newer tokens arrived meanwhile (another tab, a sign-in): this answer is obsolete.
            return Applied::Stale;
        }
        self.refreshing = false;
        match outcome {
            RefreshOutcome::Tokens(tokens) => self.adopt(tokens, now_ms),
            RefreshOutcome::SignedOut => {
                self.set_signed_out();
                Applied::SignedOut
            }
            RefreshOutcome::Transient(error) => {
                self.failures = self.failures.saturating_add(1);
                let at = now_ms + backoff_ms(self.failures, random);
                self.retry_at_ms = Some(at);
                self.last_error = Some(error);
                if self.phase == Phase::Loading && self.active.is_some() {
                    // Stored tokens could not be confirmed now: use them while they last.
                    self.phase = Phase::SignedIn;
                }
                Applied::WillRetry(at)
            }
        }
    }

    /// Ends a refresh that never reached the server because it was not needed (another tab had
    /// already refreshed and its tokens were adopted).
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
        self.retry_at_ms = None;
        self.last_error = None;
    }

    fn set_signed_out(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.active = None;
        self.pending_refresh = None;
        self.phase = Phase::SignedOut;
        self.refreshing = false;
        self.failures = 0;
        self.retry_at_ms = None;
        self.last_error = None;
    }
}

/// Decodes received tokens and times them on the local clock. The lifetime is `exp - iat` when
/// the token has both (skew-proof); otherwise `exp` against the local clock.
fn decode_active(tokens: Tokens, now_ms: f64) -> Option<Active> {
    let decoded = token::decode(&tokens.token, DEFAULT_MAX_TOKEN_BYTES).ok()?;
    let exp = decoded.claims.exp;
    let lifetime = decoded
        .issued_lifetime()
        .or_else(|| exp.map(|e| e - (now_ms / 1000.0) as i64))?
        .max(0);
    let expires_local_ms = now_ms + lifetime as f64 * 1000.0;
    let refresh_at_ms = expires_local_ms - refresh_margin_seconds(lifetime) * 1000.0;
    let subject = decoded.subject();
    Some(Active {
        user_id: subject.as_ref().map(|s| s.user_id.to_owned()),
        session_id: subject.and_then(|s| s.session_id.map(str::to_owned)),
        exp,
        expires_local_ms,
        refresh_at_ms,
        tokens,
    })
}
