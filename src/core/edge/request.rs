//! Finding the access token in an HTTP request: `Authorization: Bearer …`, else the Convex Auth
//! Next.js JWT cookie (named as the official package names it for the request's `Host`).

use crate::core::shared::cookies::{JWT_COOKIE, cookie_name, cookie_value};

/// The JWT cookie's name for a request whose `Host` header is `host`.
pub fn jwt_cookie_name(host: &str) -> String {
    cookie_name(JWT_COOKIE, host)
}

/// The token a request carries: a Bearer token in `authorization`, else the JWT cookie. `None`
/// when neither is present (another `Authorization` scheme counts as absent).
pub fn token_from_request(
    authorization: Option<&str>,
    cookie_header: Option<&str>,
    host: &str,
) -> Option<String> {
    if let Some(token) = authorization.and_then(bearer_token) {
        return Some(token.to_owned());
    }
    cookie_value(cookie_header?, &jwt_cookie_name(host))
}

/// The token of a `Bearer` Authorization header (scheme case-insensitive).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}
