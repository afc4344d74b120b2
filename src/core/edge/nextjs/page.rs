//! Page requests: whether the JWT cookie needs a refresh first, the `?code=` exchange, and what
//! the page is hydrated with.

use crate::core::shared::code::code_from_url;
use crate::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, decode};

/// Refresh when fewer than this many milliseconds of the token remain, and…
const WANTED_REMAINING_MS: f64 = 60_000.0;
/// …at least a tenth of the lifetime, but never less than this (as the official middleware).
const MIN_REMAINING_MS: f64 = 10_000.0;

/// What a page request does with the auth cookies before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    /// Nothing to do: no session, or a JWT with time left.
    Proceed,
    /// Refresh through Convex first (the JWT is missing, unreadable or about to expire).
    Refresh,
    /// A JWT with no refresh token that can no longer be used: clear it.
    Clear,
}

/// True when `jwt` expires within `min(60 s, max(10 s, lifetime / 10))` of `now_ms`, or cannot
/// be read.
pub fn refresh_due(jwt: &str, now_ms: f64) -> bool {
    let Ok(token) = decode(jwt, DEFAULT_MAX_TOKEN_BYTES) else {
        return true;
    };
    let (Some(exp), iat) = (token.claims.exp, token.claims.iat) else {
        return true;
    };
    let lifetime_ms = iat.map_or(0.0, |iat| (exp - iat) as f64 * 1000.0);
    let wanted = WANTED_REMAINING_MS.min(MIN_REMAINING_MS.max(lifetime_ms / 10.0));
    (exp as f64) * 1000.0 <= now_ms + wanted
}

/// The step for a page request carrying these cookies. A cross-site request is treated as
/// carrying none (the official rule: its cookies are not the app's to use).
pub fn page_step(
    jwt: Option<&str>,
    refresh_token: Option<&str>,
    cross_site: bool,
    now_ms: f64,
) -> PageStep {
    if cross_site {
        return PageStep::Proceed;
    }
    match (jwt, refresh_token) {
        (None, None) => PageStep::Proceed,
        (Some(jwt), None) if refresh_due(jwt, now_ms) => PageStep::Clear,
        (Some(_), None) => PageStep::Proceed,
        (None, Some(_)) => PageStep::Refresh,
        (Some(jwt), Some(_)) if refresh_due(jwt, now_ms) => PageStep::Refresh,
        (Some(_), Some(_)) => PageStep::Proceed,
    }
}

/// A `?code=` to exchange server-side (an OAuth or magic-link return): a `GET` for an HTML page.
/// Returns the code and the URL to redirect to without it.
pub fn code_exchange(method: &str, accept: Option<&str>, url: &str) -> Option<(String, String)> {
    if !method.eq_ignore_ascii_case("GET") || !accept.is_some_and(|a| a.contains("text/html")) {
        return None;
    }
    code_from_url(url)
}

/// What the client session starts from, as the server saw the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hydration {
    /// A JWT the server verified: no refresh call to load the page.
    Token(String),
    /// No session at all: signed out, no call.
    SignedOut,
    /// A refresh cookie but no usable JWT (a refresh failed transiently): the client refreshes.
    Refresh,
}

/// The hydration for a page whose verified JWT is `verified` and that `has_refresh_token`.
pub fn hydration(verified: Option<String>, has_refresh_token: bool) -> Hydration {
    match (verified, has_refresh_token) {
        (Some(token), _) => Hydration::Token(token),
        (None, true) => Hydration::Refresh,
        (None, false) => Hydration::SignedOut,
    }
}
