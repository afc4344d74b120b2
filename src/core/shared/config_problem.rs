//! What can be wrong with an option (most options are deployment URLs), and how to fix it.

use std::fmt;

/// What is wrong with an option.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// Not of the JS type the option takes.
    WrongType {
        /// The type it must have, e.g. `"a string"`.
        expected: &'static str,
    },
    /// Empty or only whitespace.
    Empty,
    /// Not an absolute URL (the parser's reason is attached).
    NotAUrl(String),
    /// Wrapped in quotes, as often happens when copying from a `.env` file.
    Quoted,
    /// A scheme other than `https:` (or `http:` on loopback).
    UnsupportedScheme(String),
    /// `http:` on a host that is not loopback.
    InsecureHttp,
    /// `user:password@` in the URL.
    HasCredentials,
    /// A path other than `/`.
    HasPath(String),
    /// A `?query` or `#fragment`.
    HasQueryOrFragment,
    /// A Convex Auth 2 issuer that is the deployment's bare cloud origin: the issuer of the app's
    /// own `ctx.auth.signJwt` tokens, not of Convex Auth's sessions.
    NotTheAuthIssuer {
        /// The Convex Auth 2 issuer to use instead.
        suggestion: String,
    },
    /// The host ends with a dot.
    TrailingDot,
    /// A `.convex.site` URL where the `.convex.cloud` (functions) URL belongs.
    SiteWhereCloudExpected {
        /// The `.convex.cloud` URL to use instead.
        suggestion: String,
    },
    /// A `.convex.cloud` URL where the `.convex.site` (HTTP actions, issuer) URL belongs.
    CloudWhereSiteExpected {
        /// The `.convex.site` URL to use instead.
        suggestion: String,
    },
    /// A `.convex.cloud` URL given as the verifier's `siteUrl`: 0.x wants the `.convex.site`
    /// URL, and Convex Auth 2 takes this very URL as `convexUrl`.
    CloudAsSiteUrl {
        /// The `.convex.site` URL (for Convex Auth 0.x tokens).
        suggestion: String,
    },
    /// Neither `siteUrl` (Convex Auth 0.x) nor `convexUrl` (Convex Auth 2) was given.
    NoDeploymentUrl,
    /// Both `siteUrl` and `convexUrl` were given: each configures a generation.
    BothDeploymentUrls,
    /// Not a Convex Cloud URL, so the site URL cannot be derived.
    SiteUrlRequired,
    /// A cloud URL and a site URL of two different Convex Cloud deployments.
    DeploymentMismatch {
        /// The site URL that belongs with the given cloud URL.
        suggestion: String,
    },
}

impl ConfigProblem {
    /// The corrected value, when it can be derived.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            ConfigProblem::SiteWhereCloudExpected { suggestion }
            | ConfigProblem::CloudWhereSiteExpected { suggestion }
            | ConfigProblem::CloudAsSiteUrl { suggestion }
            | ConfigProblem::NotTheAuthIssuer { suggestion }
            | ConfigProblem::DeploymentMismatch { suggestion } => Some(suggestion),
            _ => None,
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigProblem::WrongType { expected } => write!(f, "it must be {expected}"),
            ConfigProblem::Empty => write!(f, "it is empty; pass your deployment's URL"),
            ConfigProblem::NotAUrl(reason) => write!(
                f,
                "not an absolute URL ({reason}); expected e.g. https://happy-otter-123.convex.cloud"
            ),
            ConfigProblem::Quoted => write!(f, "remove the quotes around the URL"),
            ConfigProblem::UnsupportedScheme(scheme) => {
                write!(f, "the scheme \"{scheme}\" is not supported; use https:")
            }
            ConfigProblem::InsecureHttp => write!(
                f,
                "http: is only allowed for loopback hosts (localhost, 127.0.0.1, [::1]); use https:"
            ),
            ConfigProblem::HasCredentials => {
                write!(f, "remove the user name and password from the URL")
            }
            ConfigProblem::HasPath(path) => write!(
                f,
                "the path \"{path}\" does not belong in a deployment URL; give the origin only"
            ),
            ConfigProblem::NotTheAuthIssuer { suggestion } => write!(
                f,
                "the deployment's own issuer, not Convex Auth 2's — use {suggestion}"
            ),
            ConfigProblem::HasQueryOrFragment => {
                write!(f, "remove the query and fragment; give the origin only")
            }
            ConfigProblem::TrailingDot => write!(f, "remove the trailing dot from the host name"),
            ConfigProblem::SiteWhereCloudExpected { suggestion } => write!(
                f,
                "this is the .convex.site URL (HTTP actions); functions and the HTTP API live on the \
                 .convex.cloud URL — use {suggestion}"
            ),
            ConfigProblem::CloudWhereSiteExpected { suggestion } => write!(
                f,
                "this is the .convex.cloud URL (functions); the JWT issuer, the JWKS and HTTP actions \
                 are always on the .convex.site URL — use {suggestion}"
            ),
            ConfigProblem::CloudAsSiteUrl { suggestion } => write!(
                f,
                "this is the .convex.cloud URL: for Convex Auth 0.x tokens use {suggestion}; for \
                 Convex Auth 2 tokens pass it as convexUrl"
            ),
            ConfigProblem::NoDeploymentUrl => write!(
                f,
                "pass siteUrl (Convex Auth 0.x, the .convex.site URL) or convexUrl (Convex Auth 2, \
                 the .convex.cloud URL)"
            ),
            ConfigProblem::BothDeploymentUrls => write!(
                f,
                "pass siteUrl (Convex Auth 0.x) or convexUrl (Convex Auth 2), not both"
            ),
            ConfigProblem::SiteUrlRequired => write!(
                f,
                "this is neither a Convex Cloud (.convex.cloud) URL nor a local backend, so the site \
                 URL cannot be derived; pass siteUrl, or in Next.js set NEXT_PUBLIC_CONVEX_SITE_URL \
                 (the backend's HTTP actions origin)"
            ),
            ConfigProblem::DeploymentMismatch { suggestion } => write!(
                f,
                "it belongs to a different deployment than convexUrl; the matching site URL is {suggestion}"
            ),
        }
    }
}
