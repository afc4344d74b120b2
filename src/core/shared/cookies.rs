//! The Convex Auth Next.js cookies' names, chosen exactly as `@convex-dev/auth/nextjs/server`
//! chooses them, so a switch between the two libraries signs nobody out.

use super::web_url::WebUrl;

/// The JWT cookie, without the `__Host-` prefix.
pub const JWT_COOKIE: &str = "__convexAuthJWT";
/// The refresh-token cookie, without the prefix.
pub const REFRESH_TOKEN_COOKIE: &str = "__convexAuthRefreshToken";
/// The OAuth PKCE verifier cookie, without the prefix.
pub const VERIFIER_COOKIE: &str = "__convexAuthOAuthVerifier";
/// Carries a sign-in failure across the redirect an app's middleware handler answers with
/// (this package's own; the page shows it, then it is cleared).
pub const SIGN_IN_ERROR_COOKIE: &str = "__convexAuthSignInError";

/// True when the official package treats a request's `Host` header as local: it contains
/// `localhost:<digit>` or `127.0.0.1:<digit>` (its test is an unanchored
/// `/(localhost|127\.0\.0\.1):\d+/`). So a port-less `localhost`, `[::1]:3000` and
/// `127.0.0.2:3000` are *not* local to it, and get `__Host-` names.
pub fn is_local_host(host: &str) -> bool {
    ["localhost:", "127.0.0.1:"].iter().any(|prefix| {
        host.as_bytes()
            .windows(prefix.len() + 1)
            .any(|w| w.starts_with(prefix.as_bytes()) && w.last().is_some_and(u8::is_ascii_digit))
    })
}

/// A cookie's full name for a request whose `Host` header is `host`: `__Host-` unless local.
pub fn cookie_name(base: &str, host: &str) -> String {
    if is_local_host(host) {
        base.to_owned()
    } else {
        format!("__Host-{base}")
    }
}

/// The value of cookie `name` in a `Cookie` header; `None` when absent or empty.
pub fn cookie_value(cookie_header: &str, name: &str) -> Option<String> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|value| !value.is_empty())
}

/// The host a request is for: its `Host` header, else the authority of its URL (a `Request`
/// built by hand has no `Host` header).
pub fn request_host(host_header: Option<&str>, url: &str) -> String {
    match host_header.map(str::trim).filter(|h| !h.is_empty()) {
        Some(host) => host.to_owned(),
        None => WebUrl::parse(url)
            .map(|u| u.authority())
            .unwrap_or_default(),
    }
}
