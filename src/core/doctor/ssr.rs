//! Convex Auth 2's SSR routes on the app's origin (`/auth/refresh`, `/auth/signout`,
//! `/auth/signin`): mounted as POST routes, reachable from the app's own pages (the routes'
//! `Origin` check sees the `Host` a proxy may have rewritten), and setting cookies a browser
//! keeps on that origin. Checked only when the app's origin is given (`--origin`).

use std::collections::BTreeMap;

use super::finding::{Finding, Group};
use super::probes::{MAX_PROBE_BODY_BYTES, Observation, PROBE_TIMEOUT_MS, Probe};
use crate::core::shared::web_url::WebUrl;

/// The routes the official Next.js client calls (each a POST), with their probes' ids.
const ROUTES: [(&str, &str); 3] = [
    ("ssr:refresh", "/auth/refresh"),
    ("ssr:signout", "/auth/signout"),
    ("ssr:signin", "/auth/signin?path=/api/mutation"),
];

/// A POST to each route from the app's own origin, with no cookie: nothing to refresh, revoke
/// or sign in, so no session is touched.
pub(super) fn probes(origin: &str) -> Vec<Probe> {
    let headers = BTreeMap::from([
        ("origin", origin.to_owned()),
        ("content-type", "application/json".to_owned()),
    ]);
    ROUTES
        .iter()
        .map(|(id, path)| Probe {
            id: (*id).to_owned(),
            method: "POST",
            url: format!("{origin}{path}"),
            headers: headers.clone(),
            timeout_ms: PROBE_TIMEOUT_MS,
            max_body_bytes: MAX_PROBE_BODY_BYTES,
        })
        .collect()
}

/// The findings about the routes at `origin`.
pub(super) fn check(origin: &str, observations: &[Observation], out: &mut Vec<Finding>) {
    let seen: Vec<(&str, &Observation)> = ROUTES
        .iter()
        .filter_map(|(id, path)| Some((*path, observations.iter().find(|o| o.id == *id)?)))
        .collect();
    if let Some((path, error)) = seen.iter().find_map(|(p, o)| Some((p, o.error.as_ref()?))) {
        out.push(Finding::error(
            "V2_APP_UNREACHABLE",
            Group::Ssr,
            format!("POST {origin}{path}: {error}; the SSR routes could not be checked"),
            "Start the app (next dev / next start) and pass the origin it is served on: --origin http://localhost:3000".into(),
        ));
        return;
    }
    let missing: Vec<(&str, &Observation)> =
        seen.iter().copied().filter(|(_, o)| !mounted(o)).collect();
    if !seen.is_empty() && missing.len() == seen.len() {
        out.push(Finding::warning(
            "V2_SSR_ROUTES_MISSING",
            Group::Ssr,
            format!("no SSR auth routes at {origin}/auth/* (POST /auth/refresh answered {}): right for an app whose sessions live in the browser (spa mode), fatal in ssr mode, where every refresh fails and signs the user out", answer(missing[0].1)),
            ssr_fix(),
        ));
        return;
    }
    for (path, observation) in &missing {
        out.push(Finding::error(
            "V2_SSR_ROUTE_MISSING",
            Group::Ssr,
            format!(
                "POST {origin}{path} answered {}: the browser's calls to it fail",
                answer(observation)
            ),
            ssr_fix(),
        ));
    }
    if let Some((path, refresh)) = seen.iter().find(|(p, _)| *p == ROUTES[0].1) {
        check_refresh(origin, path, refresh, out);
    }
    let set_cookie: Vec<&str> = seen
        .iter()
        .filter_map(|(_, observation)| observation.headers.get("set-cookie"))
        .flat_map(|lines| lines.lines())
        .collect();
    check_cookies(origin, &set_cookie, out);
}

/// Mounted as a POST route: not a 404 or 405, and not sent elsewhere (a proxy that guards
/// `/auth/*` and redirects to a sign-in page).
fn mounted(seen: &Observation) -> bool {
    seen.status
        .is_some_and(|s| s != 404 && s != 405 && !(300..400).contains(&s))
}

/// A status with its redirect target, for messages.
fn answer(seen: &Observation) -> String {
    let status = seen.status.unwrap_or(0);
    match seen.headers.get("location") {
        Some(to) if (300..400).contains(&status) => format!("{status} (a redirect to {to})"),
        _ => status.to_string(),
    }
}

fn ssr_fix() -> String {
    "Mount the handlers of setupConvexAuthServer / setupConvexAuthNextjs as POST routes: app/auth/refresh/route.ts (export const POST = auth.refreshHandler), app/auth/signout/route.ts (auth.signOutHandler), app/auth/signin/route.ts (auth.convexProxyHandler); keep /auth/* out of the proxy's redirects".into()
}

/// With no cookie, the refresh route answers 401 `{"tokens":null}`; a 403 means its `Origin`
/// check refused the app's own origin.
fn check_refresh(origin: &str, path: &str, seen: &Observation, out: &mut Vec<Finding>) {
    match seen.status {
        Some(403) => out.push(Finding::error(
            "V2_SSR_ORIGIN_REFUSED",
            Group::Ssr,
            format!("POST {origin}{path} with Origin: {origin} was refused (403): the route sees another Host than the app's origin — a proxy or load balancer that rewrites Host — so every refresh from the app's own pages is refused (and the official client signs the user out)"),
            format!("setupConvexAuthServer({{ …, allowedOrigins: [\"{origin}\"] }}), or have the proxy pass the original Host"),
        )),
        Some(status) if status >= 500 => out.push(Finding::error(
            "V2_SSR_ROUTE_FAILING",
            Group::Ssr,
            format!("POST {origin}{path} with no session cookie answered {status} (expected 401 {{\"tokens\":null}}): the route fails before it reaches the deployment"),
            "See the app server's log; check the convexUrl given to setupConvexAuthServer (the .convex.cloud URL)".into(),
        )),
        _ => {}
    }
}

/// `Secure` on the auth cookies a route writes must match the origin's scheme. Cookies that hold
/// a value say what the app sets, and so do deletions that carry the attributes (this package's
/// `/ssr` clears with them); the official 2.0.0 clears cookies with none, so with its handlers
/// this is seen only on a response that writes a session.
/// `set_cookie`: every `Set-Cookie` line the routes answered with (one finding for them all).
fn check_cookies(origin: &str, set_cookie: &[&str], out: &mut Vec<Finding>) {
    let written: Vec<&str> = set_cookie
        .iter()
        .copied()
        .filter(|cookie| cookie.trim_start().starts_with("__convexAuth"))
        .filter(|cookie| !is_deletion(cookie) || has_attribute(cookie, "httponly"))
        .collect();
    let (Some(_), Ok(url)) = (written.first(), WebUrl::parse(origin)) else {
        return;
    };
    let secure = written.iter().all(|cookie| has_attribute(cookie, "secure"));
    let https = url.scheme() == "https";
    if secure && !https && !url.is_loopback() {
        out.push(Finding::error(
            "V2_COOKIE_SECURE_MISMATCH",
            Group::Ssr,
            format!("the auth cookies are set Secure, and {origin} is plain http: browsers drop them, so no sign-in survives a page load"),
            "Serve the app over https, or set cookieOptions: { secure: false } for this origin (e.g. secure: process.env.NODE_ENV === \"production\")".into(),
        ));
    } else if !secure && https {
        out.push(Finding::warning(
            "V2_COOKIE_SECURE_MISMATCH",
            Group::Ssr,
            format!("the auth cookies are set without Secure on {origin}: the session would also be sent over plain http"),
            "cookieOptions: { secure: true } (the default in production)".into(),
        ));
    }
}

/// A cookie's attributes (after `name=value`), trimmed.
fn attributes(cookie: &str) -> impl Iterator<Item = &str> {
    cookie.split(';').skip(1).map(str::trim)
}

/// True when the cookie has the attribute `name` (a flag, case-insensitive).
fn has_attribute(cookie: &str, name: &str) -> bool {
    attributes(cookie).any(|a| a.eq_ignore_ascii_case(name))
}

/// A `Set-Cookie` that removes its cookie: an empty value, or `Max-Age=0`.
fn is_deletion(cookie: &str) -> bool {
    let value = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.trim());
    value.is_none_or(str::is_empty) || has_attribute(cookie, "max-age=0")
}
