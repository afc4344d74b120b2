//! Finding the access token in an HTTP request: `Authorization: Bearer …`, else the Convex Auth
//! Next.js cookie.

use url::Url;

use crate::core::shared::deployment::is_loopback;

/// The Convex Auth Next.js JWT cookie's name without the `__Host-` prefix.
pub const JWT_COOKIE: &str = "__convexAuthJWT";

/// The JWT cookie's name for a request to `request_url`: `__Host-__convexAuthJWT`, except on
/// `localhost`/loopback, where the `__Host-` prefix (which requires HTTPS) is not used.
pub fn jwt_cookie_name(request_url: &str) -> String {
    let local = Url::parse(request_url).is_ok_and(|u| is_loopback(&u));
    if local {
        JWT_COOKIE.to_owned()
    } else {
        format!("__Host-{JWT_COOKIE}")
    }
}

/// The token a request carries: a Bearer token in `authorization`, else the JWT cookie. `None`
/// when neither is present (another `Authorization` scheme counts as absent).
pub fn token_from_request(
    authorization: Option<&str>,
    cookie_header: Option<&str>,
    request_url: &str,
) -> Option<String> {
    if let Some(token) = authorization.and_then(bearer_token) {
        return Some(token.to_owned());
    }
    let name = jwt_cookie_name(request_url);
    cookie_header?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|value| !value.is_empty())
}

/// The token of a `Bearer` Authorization header (scheme case-insensitive).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}
