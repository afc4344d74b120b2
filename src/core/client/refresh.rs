//! The refresh plan: when to refresh, how long to back off, and the two decisions taken around
//! the cross-tab lock — what to do once it is held, and what to store once the answer is in.

use super::session::{Applied, RefreshTicket, Tokens};

/// Seconds before expiry to refresh: a tenth of the lifetime, at least 30 s and at most 60 s,
/// and never more than half the lifetime (for very short-lived tokens). With each attempt timed
/// out at a third of this ([`refresh_timeout_ms`]), an attempt that hangs, the first backoff and
/// a second attempt all fit before the token expires — Convex Auth 2's 60 s tokens included.
pub fn refresh_margin_seconds(lifetime: i64) -> f64 {
    let margin = (lifetime as f64 / 10.0).clamp(30.0, 60.0);
    margin.min(lifetime as f64 / 2.0).max(0.0)
}

/// The timeout of one refresh attempt for a token of `lifetime` seconds: a third of the
/// refresh margin, between 2 s and `longest_ms` (the timeout of other requests).
pub fn refresh_timeout_ms(lifetime: i64, longest_ms: u32) -> u32 {
    let third = refresh_margin_seconds(lifetime) * 1000.0 / 3.0;
    // max/min, not clamp: clamp's bounds check would link a panic path into the module.
    third.max(2000.0).min(f64::from(longest_ms)) as u32
}

/// Backoff before retry number `failures` (1-based): 1 s doubling to 60 s, times a jitter factor
/// in 0.5..1.0 drawn from `random` (0..1).
pub fn backoff_ms(failures: u32, random: f64) -> f64 {
    let base = 1000.0 * 2f64.powi(failures.saturating_sub(1).min(16) as i32);
    base.min(60_000.0) * (0.5 + random.clamp(0.0, 1.0) / 2.0)
}

/// What to do once the refresh lock is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterLock {
    /// Our tokens changed while we waited (a sign-in, another tab's tokens): nothing to do.
    Stale,
    /// Another tab refreshed while we waited: use its tokens, no network call.
    Adopt(Tokens),
    /// Another tab signed out while we waited.
    SignedOutElsewhere,
    /// Still ours to do: send the refresh.
    Request,
}

/// Decides after taking the lock. `stored` is what storage holds now (`None` in cookie mode,
/// where the refresh token is an httpOnly cookie this tab cannot read).
pub fn after_lock(
    ticket: &RefreshTicket,
    generation: u64,
    stored: Option<Option<Tokens>>,
) -> AfterLock {
    if generation != ticket.generation {
        return AfterLock::Stale;
    }
    match stored {
        None => AfterLock::Request,
        Some(None) => AfterLock::SignedOutElsewhere,
        Some(Some(tokens)) if tokens.refresh_token != ticket.refresh_token => {
            AfterLock::Adopt(tokens)
        }
        Some(Some(_)) => AfterLock::Request,
    }
}

/// What to do with storage once a refresh has answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persist {
    /// Store these tokens.
    Write(Tokens),
    /// Clear the stored session.
    Clear,
    /// Leave storage alone.
    Nothing,
    /// Storage moved on while the refresh ran (another tab signed out or in): leave it, and
    /// follow what it holds instead of our answer.
    Follow(Option<Tokens>),
}

/// Compare-and-set: the answer may only be written while storage still holds the refresh token
/// the refresh started from; otherwise a late answer would resurrect a signed-out session or
/// overwrite a newer sign-in.
pub fn persist_after_refresh(
    ticket: &RefreshTicket,
    applied: &Applied,
    current: Option<&Tokens>,
    stored: Option<Tokens>,
) -> Persist {
    let unchanged = stored
        .as_ref()
        .is_some_and(|s| s.refresh_token == ticket.refresh_token);
    match (applied, current) {
        (Applied::Adopted | Applied::SignedOut, _) if !unchanged => Persist::Follow(stored),
        (Applied::Adopted, Some(tokens)) => Persist::Write(tokens.clone()),
        (Applied::SignedOut, _) => Persist::Clear,
        _ => Persist::Nothing,
    }
}
