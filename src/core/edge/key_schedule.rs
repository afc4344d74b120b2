//! When a remotely fetched JWKS is fresh, stale, or worth refetching — pure bookkeeping; the web
//! layer does the fetching.
//!
//! Freshness follows the response's `Cache-Control: max-age`, clamped to a floor (Convex sends
//! 15 s; refetching that often from every server instance is waste, and an unknown `kid` or a
//! failed signature triggers a refetch anyway) and a ceiling. Stale keys keep serving while a
//! refresh runs, and for a day after a refresh starts failing (stale-if-error), with the failure
//! recorded for the application instead of thrown at its users.

use std::rc::Rc;

use super::jwks::KeySet;
use crate::core::shared::error::Error;

/// Shortest time a fetched JWKS is considered fresh, in seconds.
pub const MIN_FRESH_SECONDS: i64 = 60;
/// Longest time a fetched JWKS is considered fresh, in seconds.
pub const MAX_FRESH_SECONDS: i64 = 24 * 3600;
/// Freshness when the response says nothing usable.
pub const DEFAULT_FRESH_SECONDS: i64 = 10 * 60;
/// How long stale keys keep serving while refreshes fail.
pub const STALE_IF_ERROR_SECONDS: i64 = 24 * 3600;
/// Minimum time between two fetches (forced refetches for an unknown `kid`, and retries after a
/// failure), so a flood of bad tokens or an outage cannot turn into a flood of fetches.
pub const REFETCH_COOLDOWN_SECONDS: i64 = 30;
/// Default fetch timeout, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;

/// Seconds a response may be used, from its `Cache-Control` header, clamped to
/// [`MIN_FRESH_SECONDS`]..=[`MAX_FRESH_SECONDS`].
pub fn fresh_seconds(cache_control: Option<&str>) -> i64 {
    let Some(header) = cache_control else {
        return DEFAULT_FRESH_SECONDS;
    };
    let mut max_age = None;
    for directive in header.split(',').map(str::trim) {
        let lower = directive.to_ascii_lowercase();
        if lower == "no-store" || lower == "no-cache" {
            return MIN_FRESH_SECONDS;
        }
        if let Some(value) = lower.strip_prefix("max-age=") {
            max_age = value.trim_matches('"').parse::<i64>().ok();
        }
    }
    max_age.map_or(DEFAULT_FRESH_SECONDS, |s| {
        s.clamp(MIN_FRESH_SECONDS, MAX_FRESH_SECONDS)
    })
}

/// What a verification should do about the keys before (or while) it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysPlan {
    /// Use the keys as they are.
    Use,
    /// Use the keys, and start a refresh in the background.
    UseAndRefresh,
    /// No usable keys: wait for a fetch.
    FetchFirst,
    /// No usable keys and a fetch failed moments ago: fail with that error now.
    Fail(Error),
}

/// The bookkeeping of one remote JWKS.
#[derive(Debug, Default)]
pub struct RemoteKeys {
    keys: Option<Rc<KeySet>>,
    fetched_at: Option<i64>,
    fresh_until: i64,
    last_attempt: Option<i64>,
    last_error: Option<Error>,
}

impl RemoteKeys {
    /// Nothing fetched yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current keys, if they may still be used at `now` (fresh, or stale within the
    /// stale-if-error window).
    pub fn keys(&self, now: i64) -> Option<&Rc<KeySet>> {
        self.keys
            .as_ref()
            .filter(|_| now < self.fresh_until.saturating_add(STALE_IF_ERROR_SECONDS))
    }

    /// What to do at `now`.
    pub fn plan(&self, now: i64) -> KeysPlan {
        let cooling = self.in_cooldown(now);
        match self.keys(now) {
            Some(_) if now < self.fresh_until || cooling => KeysPlan::Use,
            Some(_) => KeysPlan::UseAndRefresh,
            None => match (&self.last_error, cooling) {
                (Some(err), true) => KeysPlan::Fail(err.clone()),
                _ => KeysPlan::FetchFirst,
            },
        }
    }

    /// True when a token's key was not found (unknown `kid`, or no key verified a kid-less
    /// token) and a refetch is allowed now.
    pub fn may_refetch(&self, now: i64) -> bool {
        !self.in_cooldown(now)
    }

    /// Records the start of a fetch.
    pub fn started(&mut self, now: i64) {
        self.last_attempt = Some(now);
    }

    /// Records fetched keys; returns true when they differ from the previous ones.
    pub fn fetched(&mut self, keys: KeySet, cache_control: Option<&str>, now: i64) -> bool {
        let changed = self.keys.as_ref().is_none_or(|old| old.id() != keys.id());
        self.keys = Some(Rc::new(keys));
        self.fetched_at = Some(now);
        self.fresh_until = now.saturating_add(fresh_seconds(cache_control));
        self.last_error = None;
        changed
    }

    /// Records a failed fetch; the previous keys, if any, keep serving.
    pub fn failed(&mut self, error: Error) {
        self.last_error = Some(error);
    }

    /// The last fetch error, cleared by the next success.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// When the current keys were fetched.
    pub fn fetched_at(&self) -> Option<i64> {
        self.fetched_at
    }

    /// Until when the current keys are fresh.
    pub fn fresh_until(&self) -> Option<i64> {
        self.keys.as_ref().map(|_| self.fresh_until)
    }

    fn in_cooldown(&self, now: i64) -> bool {
        self.last_attempt
            .is_some_and(|t| now < t.saturating_add(REFETCH_COOLDOWN_SECONDS))
    }
}
