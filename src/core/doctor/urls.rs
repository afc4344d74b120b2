//! The app's deployment URLs: each on its own origin kind, from one deployment, origin only.

use super::Setup;
use super::env::{AppEnv, DeploymentEnv, Source};
use super::finding::{Finding, Group};
use crate::core::shared::config_problem::ConfigProblem;
use crate::core::shared::deployment::{BaseUrl, UrlRole, derive_site_url};
use crate::core::shared::error::ErrorKind;
use crate::core::shared::web_url::WebUrl;

/// The names the app may use, in the order they are looked up.
const CONVEX_URL_NAMES: &[&str] = &["NEXT_PUBLIC_CONVEX_URL", "CONVEX_URL"];
const SITE_URL_NAMES: &[&str] = &["NEXT_PUBLIC_CONVEX_SITE_URL", "CONVEX_SITE_URL"];

/// The URLs the checks and probes use, where they could be read.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The functions URL.
    pub convex: Option<BaseUrl>,
    /// The site URL: given, or derived from a Convex Cloud functions URL.
    pub site: Option<BaseUrl>,
    /// The app's origin: given, else the deployment's `SITE_URL`.
    pub app_origin: Option<String>,
}

impl Resolved {
    /// Reads what parses; the checks report what does not.
    pub fn from(app: &AppEnv, deployment: Option<&DeploymentEnv>, origin: Option<&str>) -> Self {
        let convex = app
            .first(CONVEX_URL_NAMES)
            .and_then(|(n, v, _)| BaseUrl::parse(v, n, UrlRole::Functions).ok());
        let site = match app.first(SITE_URL_NAMES) {
            Some((n, v, _)) => BaseUrl::parse(v, n, UrlRole::Site).ok(),
            None => convex.as_ref().and_then(derive_site_url),
        };
        let app_origin = origin
            .or_else(|| deployment.and_then(|d| d.get("SITE_URL")))
            .map(|o| o.trim().trim_end_matches('/').to_owned());
        Resolved {
            convex,
            site,
            app_origin,
        }
    }
}

/// The URL findings.
pub(super) fn check(setup: &Setup, out: &mut Vec<Finding>) {
    let app = &setup.app;
    let convex = app.first(CONVEX_URL_NAMES);
    let site = app.first(SITE_URL_NAMES);
    let Some((convex_name, convex_value, convex_source)) = convex else {
        out.push(Finding::error(
            "CONVEX_URL_MISSING",
            Group::AppEnv,
            "NEXT_PUBLIC_CONVEX_URL is not set in the app's environment (.env.local, .env or the process)".into(),
            "`npx convex dev` writes it to .env.local; or set NEXT_PUBLIC_CONVEX_URL=https://<deployment>.convex.cloud".into(),
        ));
        return;
    };
    let swapped =
        site.filter(|(_, v, _)| is_on(convex_value, ".convex.site") && is_on(v, ".convex.cloud"));
    if let Some((site_name, site_value, _)) = swapped {
        out.push(Finding::error(
            "URLS_SWAPPED",
            Group::AppEnv,
            format!("{convex_name} and {site_name} are swapped: functions live on .convex.cloud, HTTP actions and the issuer on .convex.site"),
            format!("{convex_name}={}\n{site_name}={}", origin_of(site_value), origin_of(convex_value)),
        ));
        return;
    }
    check_one(
        convex_name,
        convex_value,
        convex_source,
        UrlRole::Functions,
        out,
    );
    if let Some((name, value, source)) = site {
        check_one(name, value, source, UrlRole::Site, out);
    }
    check_pair(setup, convex_name, site, out);
}

/// One URL variable: parses under the core's rules, each problem a finding with its fix.
fn check_one(name: &str, value: &str, source: &Source, role: UrlRole, out: &mut Vec<Finding>) {
    let at = format!("{name} ({})", source.describe());
    if value.trim().ends_with('/') && BaseUrl::parse(value, "url", role).is_ok() {
        out.push(Finding::warning(
            "URL_HAS_PATH",
            Group::AppEnv,
            format!("{at} ends with a slash; some clients build \"//api/…\" paths from it"),
            format!("{name}={}", value.trim().trim_end_matches('/')),
        ));
    }
    let Err(error) = BaseUrl::parse(value, "url", role) else {
        return;
    };
    let ErrorKind::ConfigInvalid { problem, .. } = error.kind() else {
        return;
    };
    let (code, fix) = match problem {
        ConfigProblem::SiteWhereCloudExpected { suggestion } => {
            ("CONVEX_URL_NOT_CLOUD", format!("{name}={suggestion}"))
        }
        ConfigProblem::CloudWhereSiteExpected { suggestion } => {
            ("SITE_URL_NOT_SITE", format!("{name}={suggestion}"))
        }
        ConfigProblem::HasPath(_)
        | ConfigProblem::HasQueryOrFragment
        | ConfigProblem::TrailingDot
        | ConfigProblem::Quoted => ("URL_HAS_PATH", format!("{name}={}", origin_of(value))),
        ConfigProblem::InsecureHttp => (
            "URL_INSECURE_HTTP",
            format!("{name}={}", origin_of(value).replacen("http:", "https:", 1)),
        ),
        _ if role == UrlRole::Functions => (
            "CONVEX_URL_INVALID",
            format!("{name}=https://<deployment>.convex.cloud"),
        ),
        _ => (
            "SITE_URL_INVALID",
            format!("{name}=https://<deployment>.convex.site"),
        ),
    };
    out.push(Finding::error(
        code,
        Group::AppEnv,
        format!("{at}: {problem}"),
        fix,
    ));
}

/// The two URLs together: one deployment; a site URL where it cannot be derived.
fn check_pair(
    setup: &Setup,
    convex_name: &str,
    site: Option<(&'static str, &str, &Source)>,
    out: &mut Vec<Finding>,
) {
    let Some(convex) = &setup.urls.convex else {
        return;
    };
    let derived = derive_site_url(convex);
    match (site, &setup.urls.site, derived) {
        (Some((name, _, _)), Some(site), Some(expected))
            if site.is_convex_cloud() && *site != expected =>
        {
            out.push(Finding::error(
                "URLS_DIFFERENT_DEPLOYMENTS",
                Group::AppEnv,
                format!(
                    "{convex_name} ({}) and {name} ({}) name two different deployments",
                    convex.as_str(),
                    site.as_str()
                ),
                format!("{name}={}", expected.as_str()),
            ));
        }
        (None, _, None) => out.push(Finding::error(
            "SITE_URL_UNKNOWN",
            Group::AppEnv,
            format!(
                "{convex_name} ({}) is neither a Convex Cloud URL nor a local backend, so the site URL (HTTP actions, issuer, JWKS) cannot be derived",
                convex.as_str()
            ),
            "Set NEXT_PUBLIC_CONVEX_SITE_URL to the deployment's site origin (a self-hosted backend's HTTP actions URL)".into(),
        )),
        _ => {}
    }
}

fn is_on(value: &str, suffix: &str) -> bool {
    WebUrl::parse(value.trim())
        .ok()
        .and_then(|u| u.host().map(|h| h.ends_with(suffix)))
        .unwrap_or(false)
}

/// `scheme://host[:port]` of a URL-ish value (quotes and paths dropped), or the value itself.
fn origin_of(value: &str) -> String {
    let unquoted = value.trim().trim_matches(|c| c == '"' || c == '\'');
    WebUrl::parse(unquoted)
        .ok()
        .and_then(|u| u.origin())
        .unwrap_or_else(|| unquoted.to_owned())
}
