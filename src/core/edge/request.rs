//! Finding the access token in an HTTP request: `Authorization: Bearer …`, else the Convex Auth
//! JWT cookie (named as the official package of the generation names it).

use super::generation::Generation;
use crate::core::shared::cookies::{JWT_COOKIE, cookie_name, cookie_value};

/// The Convex Auth 0.x JWT cookie's name for a request whose `Host` header is `host`.
pub fn jwt_cookie_name(host: &str) -> String {
    jwt_cookie_name_for(Generation::V0, host)
}

/// The JWT cookie's name: 0.x's Next.js half prefixes `__Host-` except on `localhost` and
/// `127.0.0.1`; Convex Auth 2's SSR half never prefixes it.
pub fn jwt_cookie_name_for(generation: Generation, host: &str) -> String {
    match generation {
        Generation::V0 => cookie_name(JWT_COOKIE, host),
        Generation::V2 => JWT_COOKIE.to_owned(),
    }
}

/// The token a request carries for Convex Auth 0.x (see [`token_from_request_for`]).
pub fn token_from_request(
    authorization: Option<&str>,
    cookie_header: Option<&str>,
    host: &str,
) -> Option<String> {
    token_from_request_for(Generation::V0, authorization, cookie_header, host)
}

/// The token a request carries: a Bearer token in `authorization`, else the generation's JWT
/// cookie. `None` when neither is present (another `Authorization` scheme counts as absent).
pub fn token_from_request_for(
    generation: Generation,
    authorization: Option<&str>,
    cookie_header: Option<&str>,
    host: &str,
) -> Option<String> {
    if let Some(token) = authorization.and_then(bearer_token) {
        return Some(token.to_owned());
    }
    cookie_value(cookie_header?, &jwt_cookie_name_for(generation, host))
}

/// The token of a `Bearer` Authorization header (scheme case-insensitive).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}
