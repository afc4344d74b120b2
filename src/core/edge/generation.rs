//! Which Convex Auth issues the tokens: a value the verifier is given by its configuration
//! (`siteUrl` → 0.x, `convexUrl` → 2), never read from a token. Each generation's defaults, and
//! how a token of the other one is recognised, so that it is refused with the option to use
//! rather than with an algorithm or key error that sends the user looking in the wrong place.

use super::algorithm::Algorithm;
use super::policy::Policy;
use crate::core::Result;
use crate::core::shared::config_problem::ConfigProblem;
use crate::core::shared::deployment::{BaseUrl, UrlRole};
use crate::core::shared::error::ErrorKind;

/// The path Convex Auth 2 appends to the deployment's cloud URL for its issuer.
pub const V2_ISSUER_PATH: &str = "/components/auth";

/// A generation of Convex Auth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// 0.0.x: RS256 tokens signed with `JWT_PRIVATE_KEY`; issuer and JWKS on the `.convex.site`
    /// origin; audience `convex`.
    V0,
    /// 2.x: ES256 tokens signed by the deployment; issuer `<cloud URL>/components/auth`, JWKS on
    /// the `.convex.cloud` origin; audience `convex-auth`.
    V2,
}

impl Generation {
    /// The `createVerifier` option that configures this generation.
    pub fn option(self) -> &'static str {
        match self {
            Generation::V0 => "siteUrl",
            Generation::V2 => "convexUrl",
        }
    }

    /// The name users know it by.
    pub fn name(self) -> &'static str {
        match self {
            Generation::V0 => "Convex Auth 0.x",
            Generation::V2 => "Convex Auth 2",
        }
    }

    /// Which deployment origin the option, the issuer and the JWKS are on.
    pub fn url_role(self) -> UrlRole {
        match self {
            Generation::V0 => UrlRole::Site,
            Generation::V2 => UrlRole::Functions,
        }
    }

    /// What that option holds, for messages.
    pub fn option_value(self) -> &'static str {
        match self {
            Generation::V0 => "the deployment's .convex.site URL",
            Generation::V2 => "the deployment's .convex.cloud URL",
        }
    }

    /// The default policy for a deployment whose `base` URL is given (the site URL for 0.x, the
    /// cloud URL for 2; validated, without a trailing slash).
    pub fn policy(self, base: &str) -> Policy {
        let mut policy = Policy::new(&self.issuer(base));
        policy.generation = Some(self);
        if self == Generation::V2 {
            policy.audiences = vec!["convex-auth".to_owned()];
            policy.algorithms = v2_algorithms();
        }
        policy
    }

    /// The issuer of a deployment's tokens.
    pub fn issuer(self, base: &str) -> String {
        match self {
            Generation::V0 => base.to_owned(),
            Generation::V2 => format!("{base}{V2_ISSUER_PATH}"),
        }
    }

    /// Where a deployment serves its JWKS (the base URL's origin in both generations).
    pub fn jwks_url(self, base: &str) -> String {
        format!("{base}/.well-known/jwks.json")
    }

    /// The generation an unverified token's `alg` and `iss` point to, when they agree on one.
    /// Used only to choose an error's words: nothing is accepted because of it.
    pub fn of_token(alg: &str, iss: Option<&str>) -> Option<Generation> {
        let v2_issuer = iss.map(|i| i.trim_end_matches('/').ends_with(V2_ISSUER_PATH));
        match (alg, v2_issuer) {
            ("ES256", None | Some(true)) => Some(Generation::V2),
            ("RS256", None | Some(false)) => Some(Generation::V0),
            _ => None,
        }
    }
}

/// The generation a verifier's options configure, and its deployment URL: `site_url` (the
/// `siteUrl` option) for 0.x, `convex_url` (`convexUrl`) for 2 — exactly one of them.
pub fn configured(
    site_url: Option<&str>,
    convex_url: Option<&str>,
) -> Result<(Generation, BaseUrl)> {
    let fail = |option, value: Option<&str>, problem| {
        Err(ErrorKind::ConfigInvalid {
            option,
            value: value.unwrap_or_default().to_owned(),
            problem,
        }
        .into())
    };
    let (generation, url) = match (site_url, convex_url) {
        (Some(_), Some(url)) => {
            return fail("convexUrl", Some(url), ConfigProblem::BothDeploymentUrls);
        }
        (None, None) => return fail("siteUrl", None, ConfigProblem::NoDeploymentUrl),
        (Some(url), None) => (Generation::V0, url),
        (None, Some(url)) => (Generation::V2, url),
    };
    BaseUrl::parse(url, generation.option(), generation.url_role())
        .map(|base| (generation, base))
        .or_else(|error| match error.kind() {
            // 0.x's classic mistake may be a Convex Auth 2 app's right URL under the wrong name.
            ErrorKind::ConfigInvalid {
                problem: ConfigProblem::CloudWhereSiteExpected { suggestion },
                ..
            } => fail(
                "siteUrl",
                Some(url),
                ConfigProblem::CloudAsSiteUrl {
                    suggestion: suggestion.clone(),
                },
            ),
            _ => Err(error),
        })
}

/// What a verified token's `sub` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectNames {
    /// `userId|sessionId` (Convex Auth 0.x; a `sub` without `|` is a user id alone, as other
    /// issuers' are).
    UserAndSession,
    /// The session id alone (Convex Auth 2 tokens carry no user id).
    Session,
}

impl SubjectNames {
    /// The rule for a verifier configured for `generation` (none: 0.x's, the common shape).
    pub fn of(generation: Option<Generation>) -> Self {
        match generation {
            Some(Generation::V2) => SubjectNames::Session,
            Some(Generation::V0) | None => SubjectNames::UserAndSession,
        }
    }
}

#[cfg(feature = "es256")]
fn v2_algorithms() -> Vec<Algorithm> {
    vec![Algorithm::ES256]
}

/// Without ES256 compiled in, a Convex Auth 2 policy allows no algorithm it could check, so
/// every token is refused before any key is tried.
#[cfg(not(feature = "es256"))]
fn v2_algorithms() -> Vec<Algorithm> {
    Vec::new()
}
