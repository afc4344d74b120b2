//! The CSRF rule of Convex Auth 2's routes, as the official `isTrustedOrigin`: a request is
//! served only when its `Origin` names the host it arrived at (`Host`) or one of the app's
//! `allowedOrigins` (full origins or bare hosts; for a proxy that rewrites `Host`).

use crate::core::shared::web_url::WebUrl;

/// The host of an `allowedOrigins` entry: an origin's, or the entry itself when it is a bare host.
fn allowed_host(entry: &str) -> String {
    let entry = entry.trim();
    if entry.contains("://") {
        WebUrl::parse(entry).map_or_else(|_| entry.to_owned(), |url| url.authority())
    } else {
        entry.to_owned()
    }
}

/// True when the route may serve a request with this `Origin`, arriving at `host` (its `Host`
/// header, else its URL's). No `Origin`, `null` or garbage is refused: browsers send one with
/// every POST.
pub fn is_trusted_origin(origin: Option<&str>, host: &str, allowed: &[String]) -> bool {
    let Some(origin) = origin
        .map(str::trim)
        .filter(|o| !o.is_empty() && *o != "null")
    else {
        return false;
    };
    let Ok(origin) = WebUrl::parse(origin) else {
        return false;
    };
    let origin_host = origin.authority();
    origin_host.eq_ignore_ascii_case(host.trim())
        || allowed
            .iter()
            .any(|entry| allowed_host(entry).eq_ignore_ascii_case(&origin_host))
}
