//! Page requests: whether the JWT cookie needs a refresh first, the `?code=` exchange, and what
//! the page is hydrated with.

use super::route::is_cross_site;
use crate::core::shared::code::code_from_url;
use crate::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, DecodedToken, decode};

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
    due(decode(jwt, DEFAULT_MAX_TOKEN_BYTES).ok().as_ref(), now_ms)
}

/// [`refresh_due`] of a decoded JWT (`None`: unreadable).
fn due(token: Option<&DecodedToken>, now_ms: f64) -> bool {
    let Some(Some(exp)) = token.map(|t| t.claims.exp) else {
        return true;
    };
    let iat = token.and_then(|t| t.claims.iat);
    let lifetime_ms = iat.map_or(0.0, |iat| (exp - iat) as f64 * 1000.0);
    let wanted = WANTED_REMAINING_MS.min(MIN_REMAINING_MS.max(lifetime_ms / 10.0));
    (exp as f64) * 1000.0 <= now_ms + wanted
}

/// Whether a page request is cross-site for auth purposes (its cookies are then not used). A
/// `GET`/`HEAD` navigation never is: browsers send `Sec-Fetch-Site: cross-site` on every link
/// followed from another site — an email, a search result, an OAuth provider's redirect back,
/// a sibling subdomain — together with the app's `SameSite=Lax` cookies, and the user expects
/// to arrive signed in. Any other request (a form `POST`, a `fetch` from a sibling subdomain)
/// follows the auth route's CSRF rule, [`is_cross_site`].
pub fn page_is_cross_site(
    method: &str,
    sec_fetch_mode: Option<&str>,
    origin: Option<&str>,
    host: &str,
    url: &str,
    sec_fetch_site: Option<&str>,
) -> bool {
    let safe = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
    let navigation = sec_fetch_mode.is_none_or(|mode| mode.eq_ignore_ascii_case("navigate"));
    !(safe && navigation) && is_cross_site(origin, host, url, sec_fetch_site)
}

/// The step for a page request carrying these cookies. A cross-site request (see
/// [`page_is_cross_site`]) is treated as carrying none: its cookies are not the app's to use.
pub fn page_step(
    jwt: Option<&str>,
    refresh_token: Option<&str>,
    cross_site: bool,
    now_ms: f64,
) -> PageStep {
    if cross_site {
        return PageStep::Proceed;
    }
    // The JWT decoded once: its expiry and its session are both read from it.
    let token = jwt.map(|jwt| decode(jwt, DEFAULT_MAX_TOKEN_BYTES).ok());
    match (token, refresh_token) {
        (None, None) => PageStep::Proceed,
        (Some(token), None) if due(token.as_ref(), now_ms) => PageStep::Clear,
        (Some(_), None) => PageStep::Proceed,
        (None, Some(_)) => PageStep::Refresh,
        (Some(token), Some(refresh))
            if due(token.as_ref(), now_ms)
                || token.as_ref().is_some_and(|t| !same_session(t, refresh)) =>
        {
            PageStep::Refresh
        }
        (Some(_), Some(_)) => PageStep::Proceed,
    }
}

/// Whether a sign-out through the route refreshes first: `auth:signOut` ends the session its
/// bearer names, and a JWT that is missing, expiring or another session's names none — the
/// refresh token would stay valid on the server.
pub fn sign_out_refreshes_first(
    jwt: Option<&str>,
    refresh_token: Option<&str>,
    now_ms: f64,
) -> bool {
    refresh_token.is_some() && page_step(jwt, refresh_token, false, now_ms) == PageStep::Refresh
}

/// False when the JWT and the refresh token name different sessions (0.0.95 refresh tokens end
/// in `|<sessionId>`, as the JWT's subject does): the refresh cookie is the session, the JWT a
/// leftover. True when either does not say.
fn same_session(token: &DecodedToken, refresh_token: &str) -> bool {
    let from_jwt = token.subject().and_then(|subject| subject.session_id);
    let from_refresh = refresh_token.rsplit_once('|').map(|(_, session)| session);
    match (from_jwt, from_refresh) {
        (Some(a), Some(b)) => a == b,
        _ => true,
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

/// Whether a `?code=` on a page navigation may be exchanged. From the app itself, or with this
/// browser's OAuth verifier (an OAuth return), always. From another site without one (a magic
/// link in webmail — or a link an attacker sends, carrying a code for the attacker's account),
/// only when the browser has no session: a signed-in user is never switched to another account
/// by a link from elsewhere (login CSRF); the page is told instead.
pub fn code_exchange_permitted(
    sec_fetch_site: Option<&str>,
    has_verifier: bool,
    has_session: bool,
) -> bool {
    let from_elsewhere = matches!(sec_fetch_site, Some("cross-site" | "same-site"));
    !from_elsewhere || has_verifier || !has_session
}

/// What the page is told when [`code_exchange_permitted`] refuses.
pub const CODE_FROM_ELSEWHERE: &str = "a sign-in link opened from another site was not used: \
     this browser is signed in already (sign out first to switch accounts)";

/// A page navigation that brings an OAuth sign-in back without a code: this browser holds the
/// verifier of a sign-in it started, and a `GET` for an HTML page arrives from another site with
/// no `?code=` — the provider refused or the user cancelled, and Convex Auth sent the browser
/// back with nothing. The page is told (`ERR_SIGN_IN_INCOMPLETE`) and the verifier cleared.
pub fn oauth_return_without_code(
    method: &str,
    accept: Option<&str>,
    url: &str,
    sec_fetch_site: Option<&str>,
    has_verifier: bool,
) -> bool {
    has_verifier
        && method.eq_ignore_ascii_case("GET")
        && accept.is_some_and(|a| a.contains("text/html"))
        && matches!(sec_fetch_site, Some("cross-site" | "same-site"))
        && code_from_url(url).is_none()
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
