//! Convex deployment URLs: parsing, validation, `.convex.cloud` ↔ `.convex.site`, and the origin
//! check that decides where an access token may be sent.
//!
//! URLs are parsed with the WHATWG URL parser ([`WebUrl`]), the same algorithm browsers and
//! `fetch` use, so the origin compared here is the origin a request would really reach.

use super::error::{ConfigProblem, ErrorKind, Result};
use super::web_url::WebUrl;

const CLOUD_SUFFIX: &str = ".convex.cloud";
const SITE_SUFFIX: &str = ".convex.site";

/// Which of a deployment's two origins a URL is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRole {
    /// Functions and the HTTP API (`https://<name>.convex.cloud`).
    Functions,
    /// HTTP actions, JWKS and the JWT issuer (`https://<name>.convex.site`).
    Site,
}

/// A validated deployment base URL: an origin with no path, query, fragment or credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(WebUrl);

impl BaseUrl {
    /// Parses and validates `input` (the JS option `option`) for the given role.
    ///
    /// Surrounding whitespace and one trailing slash are accepted and normalised away.
    pub fn parse(input: &str, option: &'static str, role: UrlRole) -> Result<Self> {
        let fail = |problem| ErrorKind::ConfigInvalid {
            option,
            value: input.to_owned(),
            problem,
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(fail(ConfigProblem::Empty).into());
        }
        if is_quoted(trimmed) {
            return Err(fail(ConfigProblem::Quoted).into());
        }
        let url = WebUrl::parse(trimmed).map_err(|e| fail(ConfigProblem::NotAUrl(e.to_owned())))?;
        check_scheme(&url).map_err(fail)?;
        if url.has_credentials() {
            return Err(fail(ConfigProblem::HasCredentials).into());
        }
        if url.path() != "/" {
            return Err(fail(ConfigProblem::HasPath(url.path().to_owned())).into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(fail(ConfigProblem::HasQueryOrFragment).into());
        }
        let base = BaseUrl(url);
        let host = base.host();
        if host.ends_with('.') {
            return Err(fail(ConfigProblem::TrailingDot).into());
        }
        match role {
            UrlRole::Functions if host.ends_with(SITE_SUFFIX) => {
                Err(fail(ConfigProblem::SiteWhereCloudExpected {
                    suggestion: base.swap_suffix(SITE_SUFFIX, CLOUD_SUFFIX),
                })
                .into())
            }
            UrlRole::Site if host.ends_with(CLOUD_SUFFIX) => {
                Err(fail(ConfigProblem::CloudWhereSiteExpected {
                    suggestion: base.swap_suffix(CLOUD_SUFFIX, SITE_SUFFIX),
                })
                .into())
            }
            _ => Ok(base),
        }
    }

    /// The URL as text with no trailing slash, e.g. `https://happy-otter-123.convex.site`.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The parsed URL (path `/`).
    pub fn url(&self) -> &WebUrl {
        &self.0
    }

    /// The host name, lower-case.
    pub fn host(&self) -> &str {
        self.0.host().unwrap_or_default()
    }

    /// True for a Convex Cloud host (`*.convex.cloud` or `*.convex.site`).
    pub fn is_convex_cloud(&self) -> bool {
        let host = self.host();
        host.ends_with(CLOUD_SUFFIX) || host.ends_with(SITE_SUFFIX)
    }

    /// The same deployment's other origin, when this host ends with `from`.
    fn counterpart(
        &self,
        from: &str,
        to: &str,
        option: &'static str,
        role: UrlRole,
    ) -> Option<BaseUrl> {
        if !self.host().ends_with(from) {
            return None;
        }
        BaseUrl::parse(&self.swap_suffix(from, to), option, role).ok()
    }

    fn swap_suffix(&self, from: &str, to: &str) -> String {
        let host = self.host();
        let name = host.strip_suffix(from).unwrap_or(host);
        let port = self.0.port().map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://{name}{to}{port}", self.0.scheme())
    }
}

/// A deployment's two origins: functions (`convexUrl`) and site (`siteUrl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    convex_url: BaseUrl,
    site_url: BaseUrl,
}

impl Deployment {
    /// Resolves a deployment from its functions URL and, for self-hosted and local backends, an
    /// explicit site URL. For a Convex Cloud URL the site URL is derived when not given.
    pub fn new(convex_url: &str, site_url: Option<&str>) -> Result<Self> {
        let convex = BaseUrl::parse(convex_url, "convexUrl", UrlRole::Functions)?;
        let derived = derive_site_url(&convex);
        let site = match site_url {
            Some(site_url) => {
                let site = BaseUrl::parse(site_url, "siteUrl", UrlRole::Site)?;
                if let Some(expected) = derived.filter(|d| *d != site && site.is_convex_cloud()) {
                    return Err(ErrorKind::ConfigInvalid {
                        option: "siteUrl",
                        value: site_url.to_owned(),
                        problem: ConfigProblem::DeploymentMismatch {
                            suggestion: expected.as_str().to_owned(),
                        },
                    }
                    .into());
                }
                site
            }
            None => derived.ok_or_else(|| ErrorKind::ConfigInvalid {
                option: "siteUrl",
                value: String::new(),
                problem: ConfigProblem::SiteUrlRequired,
            })?,
        };
        Ok(Deployment {
            convex_url: convex,
            site_url: site,
        })
    }

    /// The functions (HTTP API) URL, without a trailing slash.
    pub fn convex_url(&self) -> &BaseUrl {
        &self.convex_url
    }

    /// The site (HTTP actions, issuer) URL, without a trailing slash.
    pub fn site_url(&self) -> &BaseUrl {
        &self.site_url
    }
}

/// Derives `https://<name>.convex.site` from `https://<name>.convex.cloud`, and a local
/// backend's site origin from its functions origin on loopback — the next port, as the Convex
/// CLI lays them out (`http://127.0.0.1:3210` → `:3211`). `None` for any other host (a
/// self-hosted backend must say where its site is).
pub fn derive_site_url(convex_url: &BaseUrl) -> Option<BaseUrl> {
    convex_url
        .counterpart(CLOUD_SUFFIX, SITE_SUFFIX, "siteUrl", UrlRole::Site)
        .or_else(|| local_site_url(convex_url))
}

/// `http://127.0.0.1:<port + 1>` for a local backend at `http://127.0.0.1:<port>`.
fn local_site_url(convex_url: &BaseUrl) -> Option<BaseUrl> {
    let url = convex_url.url();
    let port = url.port()?.checked_add(1)?;
    if !url.is_loopback() {
        return None;
    }
    let site = format!("{}://{}:{port}", url.scheme(), convex_url.host());
    BaseUrl::parse(&site, "siteUrl", UrlRole::Site).ok()
}

/// Validates a URL the library will fetch (e.g. `jwksUrl`): absolute, `https:` (or `http:` on
/// loopback), no credentials, and on the deployment origin of `role` when it is a Convex one
/// (Convex Auth 0.x serves its JWKS on `.convex.site`, Convex Auth 2 on `.convex.cloud`).
pub fn parse_fetch_url(input: &str, option: &'static str, role: UrlRole) -> Result<WebUrl> {
    let fail = |problem| ErrorKind::ConfigInvalid {
        option,
        value: input.to_owned(),
        problem,
    };
    let url =
        WebUrl::parse(input.trim()).map_err(|e| fail(ConfigProblem::NotAUrl(e.to_owned())))?;
    check_scheme(&url).map_err(fail)?;
    if url.has_credentials() {
        return Err(fail(ConfigProblem::HasCredentials).into());
    }
    let (wrong, right) = match role {
        UrlRole::Site => (CLOUD_SUFFIX, SITE_SUFFIX),
        UrlRole::Functions => (SITE_SUFFIX, CLOUD_SUFFIX),
    };
    // A trailing dot names the same host (`x.convex.site.`): the guard must see through it.
    if url
        .host()
        .is_some_and(|h| h.trim_end_matches('.').ends_with(wrong))
    {
        let origin = url.origin().unwrap_or_default();
        let rest = url
            .as_str()
            .strip_prefix(origin.as_str())
            .unwrap_or_default();
        let suggestion = format!("{}{rest}", BaseUrl(url.clone()).swap_suffix(wrong, right));
        return Err(fail(match role {
            UrlRole::Site => ConfigProblem::CloudWhereSiteExpected { suggestion },
            UrlRole::Functions => ConfigProblem::SiteWhereCloudExpected { suggestion },
        })
        .into());
    }
    Ok(url)
}

/// Checks an expected JWT issuer. Any string is allowed (third-party issuers differ), except a
/// Convex `.convex.cloud` URL: Convex Auth's issuer is always the `.convex.site` URL.
pub fn check_issuer(issuer: &str) -> Result<()> {
    match WebUrl::parse(issuer.trim()) {
        Ok(url) if url.host().is_some_and(|h| h.ends_with(CLOUD_SUFFIX)) => {
            let origin = url.origin().unwrap_or_default();
            BaseUrl::parse(&origin, "issuer", UrlRole::Site).map(|_| ())
        }
        _ if issuer.trim().is_empty() => Err(ErrorKind::ConfigInvalid {
            option: "issuer",
            value: issuer.to_owned(),
            problem: ConfigProblem::Empty,
        }
        .into()),
        _ => Ok(()),
    }
}

/// Checks an expected Convex Auth 2 issuer: any string, except a `.convex.site` URL (0.x's
/// issuer, never 2's) or a bare `.convex.cloud` origin (the issuer of every token the app's own
/// `ctx.auth.signJwt` makes, not of Convex Auth's sessions, which are `<cloud>/components/auth`).
pub fn check_v2_issuer(issuer: &str) -> Result<()> {
    let fail = |problem| {
        Err(ErrorKind::ConfigInvalid {
            option: "issuer",
            value: issuer.to_owned(),
            problem,
        }
        .into())
    };
    let Ok(url) = WebUrl::parse(issuer.trim()) else {
        return match issuer.trim().is_empty() {
            true => fail(ConfigProblem::Empty),
            false => Ok(()),
        };
    };
    let host = url.host().unwrap_or_default().trim_end_matches('.');
    let origin = url.origin().unwrap_or_default();
    if host.ends_with(SITE_SUFFIX) {
        let cloud = BaseUrl(url.clone()).swap_suffix(SITE_SUFFIX, CLOUD_SUFFIX);
        return fail(ConfigProblem::SiteWhereCloudExpected {
            suggestion: format!("{cloud}/components/auth"),
        });
    }
    if host.ends_with(CLOUD_SUFFIX) && url.path() == "/" {
        return fail(ConfigProblem::NotTheAuthIssuer {
            suggestion: format!("{origin}/components/auth"),
        });
    }
    Ok(())
}

/// True when both strings parse as URLs with the same tuple origin (scheme, host, port).
/// Unparseable and opaque-origin URLs are never the same origin as anything.
pub fn same_origin(a: &str, b: &str) -> bool {
    match (WebUrl::parse(a), WebUrl::parse(b)) {
        (Ok(a), Ok(b)) => a.origin().is_some() && a.origin() == b.origin(),
        _ => false,
    }
}

fn check_scheme(url: &WebUrl) -> std::result::Result<(), ConfigProblem> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if url.is_loopback() => Ok(()),
        "http" => Err(ConfigProblem::InsecureHttp),
        other => Err(ConfigProblem::UnsupportedScheme(format!("{other}:"))),
    }
}

fn is_quoted(s: &str) -> bool {
    ['"', '\'', '`']
        .iter()
        .any(|q| s.starts_with(*q) || s.ends_with(*q))
}
