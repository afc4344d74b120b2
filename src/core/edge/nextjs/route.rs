//! The auth route (`POST /api/auth`): who may call it and what is asked.

use super::MAX_ROUTE_BODY_BYTES;
use crate::core::shared::json::{Value, parse_value};
use crate::core::shared::web_url::WebUrl;

/// A request the route refuses, with its status and a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// `ERR_METHOD_NOT_ALLOWED`, `ERR_CROSS_SITE_REQUEST`, `ERR_ROUTE_BODY_TOO_LARGE`,
    /// `ERR_ROUTE_BODY_INVALID`, `ERR_ROUTE_ACTION_UNKNOWN`.
    pub code: &'static str,
    /// What to do about it.
    pub message: String,
}

/// What the route is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteCall {
    /// `auth:signIn` with a refresh token: the real one is the cookie's.
    Refresh,
    /// `auth:signIn` with these arguments; `with_token` when the cookie's JWT goes along (not
    /// for a code exchange, which is a step of signing in).
    SignIn {
        /// The arguments as the client sent them.
        args: Value,
        /// Send the JWT cookie as the bearer.
        with_token: bool,
    },
    /// `auth:signOut`.
    SignOut,
}

/// The CSRF rule: a request is cross-site when its `Origin` names another host or scheme than
/// the request's own (`Host` header, URL scheme), or — with no `Origin` — when the browser
/// says so (`Sec-Fetch-Site: cross-site` or `same-site`). Requests with neither (servers,
/// curl) are not browsers' and pass.
pub fn is_cross_site(
    origin: Option<&str>,
    host: &str,
    url: &str,
    sec_fetch_site: Option<&str>,
) -> bool {
    let scheme = WebUrl::parse(url)
        .map(|u| u.scheme().to_owned())
        .unwrap_or_default();
    match origin.map(str::trim).filter(|o| !o.is_empty()) {
        Some(origin) => match WebUrl::parse(origin) {
            Ok(o) => !o.authority().eq_ignore_ascii_case(host.trim()) || o.scheme() != scheme,
            Err(_) => true, // "null" (sandboxed frames, some redirects) and garbage
        },
        None => matches!(sec_fetch_site, Some("cross-site" | "same-site")),
    }
}

/// Reads a route request (`{"action": …, "args": …}`). `body` is `None` when it was longer than
/// [`MAX_ROUTE_BODY_BYTES`] (the glue stops reading there).
pub fn route_call(
    method: &str,
    cross_site: bool,
    body: Option<&str>,
) -> Result<RouteCall, Refusal> {
    if !method.eq_ignore_ascii_case("POST") {
        return Err(Refusal {
            status: 405,
            code: "ERR_METHOD_NOT_ALLOWED",
            message: format!("the auth route takes POST, not {method}"),
        });
    }
    if cross_site {
        return Err(Refusal {
            status: 403,
            code: "ERR_CROSS_SITE_REQUEST",
            message: "the auth route only answers the app's own pages (Origin / Sec-Fetch-Site name another site)".into(),
        });
    }
    let Some(body) = body else {
        return Err(Refusal {
            status: 413,
            code: "ERR_ROUTE_BODY_TOO_LARGE",
            message: format!(
                "the auth route reads at most {MAX_ROUTE_BODY_BYTES} bytes; a sign-in needs far less"
            ),
        });
    };
    let invalid = || Refusal {
        status: 400,
        code: "ERR_ROUTE_BODY_INVALID",
        message:
            "expected a JSON body {\"action\": \"auth:signIn\" | \"auth:signOut\", \"args\": {…}}"
                .into(),
    };
    let value = parse_value(body.as_bytes()).map_err(|_| invalid())?;
    let args = value
        .get("args")
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    if !args.is_object() {
        return Err(invalid());
    }
    match value.get("action").and_then(Value::as_str) {
        Some("auth:signIn") if args.get("refreshToken").is_some() => Ok(RouteCall::Refresh),
        Some("auth:signIn") => {
            let with_token = args.get("params").and_then(|p| p.get("code")).is_none();
            Ok(RouteCall::SignIn { args, with_token })
        }
        Some("auth:signOut") => Ok(RouteCall::SignOut),
        Some(other) => Err(Refusal {
            status: 400,
            code: "ERR_ROUTE_ACTION_UNKNOWN",
            message: format!(
                "unknown action {other:?}; the auth route proxies auth:signIn and auth:signOut"
            ),
        }),
        None => Err(invalid()),
    }
}
