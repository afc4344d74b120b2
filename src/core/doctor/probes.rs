//! The network checks: which requests to make (the caller makes them, each bounded by a
//! timeout) and what their answers mean — discovery, the served key set, HTTP action
//! preflights, the deployment's clock, and a sample token.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Setup;
use super::finding::{Finding, Group};
use super::keys;
use crate::core::edge::jwks::{KeySet, MAX_JWKS_BYTES};
use crate::core::edge::policy::Policy;
use crate::core::edge::verify::verify;
use crate::core::shared::deployment::{BaseUrl, UrlRole, derive_site_url};
use crate::core::shared::json::parse_value;
use crate::core::shared::web_url::WebUrl;

/// Seconds of clock difference the verifier forgives (its default `clockTolerance`), plus the
/// `Date` header's one-second resolution.
const CLOCK_SKEW_LIMIT_S: f64 = 6.0;
/// How long each request may take, in milliseconds.
pub const PROBE_TIMEOUT_MS: u32 = 5_000;
/// How much of each answer's body the caller reads, in bytes; it stops there. The largest
/// document judged is a key set, which the verifier refuses past this size anyway.
pub const MAX_PROBE_BODY_BYTES: usize = MAX_JWKS_BYTES;

/// One request for the caller to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    /// Names the observation that answers it: `openid`, `jwks`, `route:<n>`.
    pub id: String,
    /// `GET`, `OPTIONS`, or `POST` (with no body).
    pub method: &'static str,
    /// Where.
    pub url: String,
    /// Request headers.
    pub headers: BTreeMap<&'static str, String>,
    /// Give up after this many milliseconds.
    pub timeout_ms: u32,
    /// Read at most this many bytes of the body, then cancel it.
    pub max_body_bytes: usize,
}

/// What to do before judging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The requests to make.
    pub probes: Vec<Probe>,
    /// `JWT_PRIVATE_KEY` as PKCS#8 DER (standard base64), for the platform's crypto to import;
    /// its answer is the judge's `KeyFacts`.
    pub private_key_pkcs8: Option<String>,
}

/// What one probe saw.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Observation {
    /// The probe's id.
    pub id: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Response headers, lower-case names.
    pub headers: BTreeMap<String, String>,
    /// The response body (text), when read.
    pub body: Option<String>,
    /// The body went on past the probe's `max_body_bytes`: reading stopped there, and `body`
    /// holds only its start.
    pub body_truncated: bool,
    /// Why no answer came (`timeout`, a refused connection, …).
    pub error: Option<String>,
    /// When the answer arrived, in milliseconds since the epoch (this machine's clock).
    pub received_at_ms: f64,
}

/// The requests for this setup.
pub(super) fn plan(setup: &Setup) -> Plan {
    let mut probes = Vec::new();
    if let Some(site) = &setup.urls.site {
        probes.push(get("openid", site, "/.well-known/openid-configuration"));
        probes.push(get("jwks", site, "/.well-known/jwks.json"));
        probes.extend(route_probes(setup, site));
    }
    let private_key_pkcs8 = setup
        .deployment
        .as_ref()
        .and_then(|d| d.get("JWT_PRIVATE_KEY"))
        .and_then(keys::pkcs8_der_base64);
    Plan {
        probes,
        private_key_pkcs8,
    }
}

/// A `GET` of `path` on `base`.
pub(super) fn get(id: &str, base: &BaseUrl, path: &str) -> Probe {
    Probe {
        id: id.to_owned(),
        method: "GET",
        url: format!("{}{path}", base.as_str()),
        headers: BTreeMap::new(),
        timeout_ms: PROBE_TIMEOUT_MS,
        max_body_bytes: MAX_PROBE_BODY_BYTES,
    }
}

/// The CORS preflight of each HTTP action route, from the app's origin.
pub(super) fn route_probes(setup: &Setup, site: &BaseUrl) -> Vec<Probe> {
    let origin = setup
        .urls
        .app_origin
        .clone()
        .unwrap_or_else(|| "http://localhost:3000".into());
    let headers = BTreeMap::from([
        ("origin", origin),
        ("access-control-request-method", "POST".to_owned()),
        (
            "access-control-request-headers",
            "authorization, content-type".to_owned(),
        ),
    ]);
    let routes = setup.input.routes.iter().enumerate();
    routes
        .map(|(i, route)| Probe {
            id: format!("route:{i}"),
            method: "OPTIONS",
            url: format!("{}{}", site.as_str(), route_path(route)),
            headers: headers.clone(),
            timeout_ms: PROBE_TIMEOUT_MS,
            max_body_bytes: MAX_PROBE_BODY_BYTES,
        })
        .collect()
}

/// The network findings.
pub(super) fn check(
    setup: &Setup,
    observations: &[Observation],
    private_n: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let Some(site) = &setup.urls.site else {
        return;
    };
    for route in &setup.input.routes {
        check_route_origin(setup, route, out);
    }
    let seen = |id: &str| observations.iter().find(|o| o.id == id);
    let Some(openid) = seen("openid") else {
        return;
    };
    if let Some(error) = &openid.error {
        out.push(Finding::error(
            "DEPLOYMENT_UNREACHABLE",
            Group::Deployment,
            format!("{} did not answer: {error}", openid_url(site)),
            "Check NEXT_PUBLIC_CONVEX_SITE_URL / NEXT_PUBLIC_CONVEX_URL, and that the deployment is up (`npx convex dev` for a dev deployment)".into(),
        ));
        return;
    }
    check_clock(openid, out);
    check_discovery(site, openid, out);
    let served = seen("jwks").and_then(|jwks| check_served_jwks(site, jwks, out));
    let env_jwks = setup.deployment.as_ref().and_then(|d| d.get("JWKS"));
    match (&served, env_jwks, private_n) {
        (Some(served), Some(env), _) if !keys::same_keys(served, env) => out.push(Finding::error(
            "JWKS_SERVED_MISMATCH",
            Group::Keys,
            format!("{site}/.well-known/jwks.json serves other keys than the JWKS in the deployment environment given: is that listing from another deployment (dev vs prod)?", site = site.as_str()),
            "Pipe the environment of the deployment these URLs name: `npx convex env list` (add `--prod` for production)".into(),
        )),
        (Some(served), None, Some(n)) => keys::check_match(served, n, "the JWKS the deployment serves", out),
        _ => {}
    }
    check_preflights(setup, observations, out);
    if let (Some(token), Some(jwks)) = (&setup.input.sample_token, seen("jwks")) {
        check_token(site, token.trim(), jwks, out);
    }
}

/// The HTTP action routes alone (Convex Auth 2, whose keys live elsewhere): where each points,
/// and what its preflight answered.
pub(super) fn check_routes(setup: &Setup, observations: &[Observation], out: &mut Vec<Finding>) {
    if setup.urls.site.is_none() {
        return;
    }
    for route in &setup.input.routes {
        check_route_origin(setup, route, out);
    }
    check_preflights(setup, observations, out);
}

fn check_preflights(setup: &Setup, observations: &[Observation], out: &mut Vec<Finding>) {
    for (i, route) in setup.input.routes.iter().enumerate() {
        if let Some(seen) = observations.iter().find(|o| o.id == format!("route:{i}")) {
            check_preflight(setup, route, seen, out);
        }
    }
}

fn openid_url(site: &BaseUrl) -> String {
    format!("{}/.well-known/openid-configuration", site.as_str())
}

/// The path of a route given as a path or as an absolute URL.
fn route_path(route: &str) -> String {
    match WebUrl::parse(route) {
        Ok(url) => url.path().to_owned(),
        Err(_) if route.starts_with('/') => route.to_owned(),
        Err(_) => format!("/{route}"),
    }
}

/// A route given on the functions origin: HTTP actions are served on the site origin only.
fn check_route_origin(setup: &Setup, route: &str, out: &mut Vec<Finding>) {
    let Ok(url) = WebUrl::parse(route) else {
        return;
    };
    let origin = url.origin().unwrap_or_default();
    let on_cloud = BaseUrl::parse(&origin, "route", UrlRole::Functions)
        .is_ok_and(|b| setup.urls.convex.as_ref() == Some(&b) || derive_site_url(&b).is_some());
    if on_cloud {
        let site = setup
            .urls
            .site
            .as_ref()
            .map_or("<deployment>.convex.site", |s| s.as_str());
        out.push(Finding::error(
            "ROUTE_ON_CLOUD_ORIGIN",
            Group::HttpActions,
            format!("{route} is on the functions origin; HTTP actions answer only on the site origin (a 404, or an opaque CORS error in the browser)"),
            format!("Call {site}{} instead (session.fetch(\"{}\") resolves paths against the site URL)", url.path(), url.path()),
        ));
    }
}

/// The `Date` header against this machine's clock.
fn check_clock(seen: &Observation, out: &mut Vec<Finding>) {
    let Some(date) = seen.headers.get("date").and_then(|d| parse_http_date(d)) else {
        return;
    };
    let skew_s = (date - seen.received_at_ms) / 1000.0;
    if skew_s.abs() > CLOCK_SKEW_LIMIT_S {
        let direction = if skew_s > 0.0 { "behind" } else { "ahead of" };
        out.push(Finding::warning(
            "CLOCK_SKEW",
            Group::Deployment,
            format!("this machine's clock is {:.0} s {direction} the deployment's; the verifier forgives 5 s (fresh tokens look not yet valid or expired)", skew_s.abs()),
            "Sync the clock (`sudo timedatectl set-ntp true`), or raise the verifier's clockTolerance".into(),
        ));
    }
}

/// OIDC discovery: served, and naming the site URL as the issuer.
fn check_discovery(site: &BaseUrl, seen: &Observation, out: &mut Vec<Finding>) {
    let doc = whole_body(seen)
        .and_then(|b| parse_value(b.as_bytes()).ok())
        .filter(|_| seen.status == Some(200));
    let Some(issuer) = doc
        .as_ref()
        .and_then(|d| d.get("issuer"))
        .and_then(|i| i.as_str())
    else {
        out.push(Finding::error(
            "OPENID_CONFIG_INVALID",
            Group::Keys,
            if seen.body_truncated && seen.status == Some(200) {
                format!(
                    "{} is not an OIDC discovery document: {}",
                    openid_url(site),
                    over_cap()
                )
            } else {
                format!(
                    "{} answered {} without an OIDC discovery document",
                    openid_url(site),
                    status_text(seen)
                )
            },
            "Serve Convex Auth's routes: `auth.addHttpRoutes(http)` in convex/http.ts, then deploy"
                .into(),
        ));
        return;
    };
    if issuer.trim_end_matches('/') != site.as_str() {
        let fix = if issuer.contains(".convex.cloud") {
            "convex/auth.config.ts must name the site URL: `providers: [{ domain: process.env.CONVEX_SITE_URL, applicationID: \"convex\" }]`".to_owned()
        } else {
            format!(
                "NEXT_PUBLIC_CONVEX_SITE_URL={} (the deployment's own issuer), or fix the deployment's CONVEX_SITE_URL",
                issuer.trim_end_matches('/')
            )
        };
        out.push(Finding::error(
            "ISSUER_MISMATCH",
            Group::Keys,
            format!("the deployment's issuer is {issuer}, not the site URL {}: every token fails the issuer check", site.as_str()),
            fix,
        ));
    }
}

/// The JWKS the deployment serves: reachable and usable. Its keys, when usable.
fn check_served_jwks(
    site: &BaseUrl,
    seen: &Observation,
    out: &mut Vec<Finding>,
) -> Option<Vec<crate::core::edge::jwks::RsaPublicKey>> {
    let url = format!("{}/.well-known/jwks.json", site.as_str());
    match (&seen.error, seen.status, whole_body(seen)) {
        (None, Some(200), Some(body)) => {
            keys::key_set(body, &format!("the JWKS at {url}"), Group::Keys, out)
        }
        (None, Some(200), None) if seen.body_truncated => {
            out.push(Finding::error(
                "JWKS_MALFORMED",
                Group::Keys,
                format!("the JWKS at {url} is not a usable key set: {}", over_cap()),
                keys::JWKS_FIX.into(),
            ));
            None
        }
        _ => {
            let why = seen.error.clone().unwrap_or_else(|| status_text(seen));
            out.push(Finding::error(
                "JWKS_UNREACHABLE",
                Group::Keys,
                format!("{url}: {why}"),
                "Serve Convex Auth's routes (`auth.addHttpRoutes(http)` in convex/http.ts) and set JWKS on the deployment (`npx @convex-dev/auth`)".into(),
            ));
            None
        }
    }
}

/// A route's CORS preflight from the app's origin, asking for `Authorization`.
fn check_preflight(setup: &Setup, route: &str, seen: &Observation, out: &mut Vec<Finding>) {
    let path = route_path(route);
    let origin = setup
        .urls
        .app_origin
        .as_deref()
        .unwrap_or("http://localhost:3000");
    let cors_fix = format!(
        "Add `http.route({{ path: \"{path}\", method: \"OPTIONS\", handler }})` in convex/http.ts answering Access-Control-Allow-Origin: {origin}, Access-Control-Allow-Methods: POST, Access-Control-Allow-Headers: Authorization, Content-Type (and Vary: Origin)"
    );
    let finding =
        |code, problem| Finding::error(code, Group::HttpActions, problem, cors_fix.clone());
    if let Some(error) = &seen.error {
        out.push(finding(
            "ROUTE_UNREACHABLE",
            format!("OPTIONS {path}: {error}"),
        ));
        return;
    }
    let status = seen.status.unwrap_or(0);
    if status == 404 {
        out.push(finding("ROUTE_NOT_FOUND", format!("OPTIONS {path} answered 404: no preflight route (or no such path) on the site origin; browsers block the call before it is sent")));
        return;
    }
    let allow_origin = seen
        .headers
        .get("access-control-allow-origin")
        .map(|v| v.trim());
    if !(200..300).contains(&status) || !allow_origin.is_some_and(|v| v == origin || v == "*") {
        out.push(finding(
            "ROUTE_CORS_ORIGIN",
            format!(
                "OPTIONS {path} from {origin} answered {status} with Access-Control-Allow-Origin: {}; the browser refuses the call",
                allow_origin.unwrap_or("(none)")
            ),
        ));
        return;
    }
    // `*` does not cover Authorization (Fetch standard): it must be named.
    let allow_headers = seen
        .headers
        .get("access-control-allow-headers")
        .map(|v| v.to_ascii_lowercase());
    let names_auth = allow_headers
        .as_deref()
        .is_some_and(|v| v.split(',').any(|h| h.trim() == "authorization"));
    if !names_auth {
        out.push(finding(
            "ROUTE_CORS_AUTH_HEADER",
            format!(
                "OPTIONS {path} does not allow the Authorization header (Access-Control-Allow-Headers: {}); the token cannot be sent",
                allow_headers.as_deref().unwrap_or("(none)")
            ),
        ));
    }
}

/// The sample token, verified as the EdgeVerifier would with the served keys.
fn check_token(site: &BaseUrl, token: &str, jwks: &Observation, out: &mut Vec<Finding>) {
    let Some(keys) = whole_body(jwks).and_then(|b| KeySet::parse(b).ok()) else {
        return;
    };
    let now = (jwks.received_at_ms / 1000.0) as i64;
    if let Err(e) = verify(token, &keys, &Policy::new(site.as_str()), now) {
        let mut finding = Finding::error(
            "SAMPLE_TOKEN_INVALID",
            Group::Token,
            format!("the verifier refuses the sample token: {}: {e}", e.code()),
            "See the verifier's message above; a fresh token comes from `await session.fetchAccessToken()` in the browser".into(),
        );
        finding.cause = Some(e.code());
        out.push(finding);
    }
}

fn status_text(seen: &Observation) -> String {
    seen.status
        .map_or_else(|| "no answer".into(), |s| format!("HTTP {s}"))
}

/// The body, unless reading it stopped at the cap (a start is not a document).
fn whole_body(seen: &Observation) -> Option<&str> {
    seen.body.as_deref().filter(|_| !seen.body_truncated)
}

/// Why a cut body was not judged.
fn over_cap() -> String {
    format!(
        "its body is over the {} KiB limit",
        MAX_PROBE_BODY_BYTES / 1024
    )
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) in milliseconds since the epoch.
fn parse_http_date(text: &str) -> Option<f64> {
    let time = httpdate::parse_http_date(text).ok()?;
    let since = time.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(since.as_millis() as f64)
}
