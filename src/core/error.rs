//! One error type for the whole crate, with stable codes.
//!
//! Every failure is an [`Error`] whose [`ErrorKind`] carries structured fields (which option,
//! which claim, what was expected, what was found). [`Error::code`] is the stable `ERR_…`
//! string that JavaScript sees as `error.code`; [`std::fmt::Display`] is the corrective message.

use std::fmt;

/// Which part of a compact JWT a decoding problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPart {
    /// The token as a whole (segment count, characters).
    Token,
    /// The first segment.
    Header,
    /// The second segment.
    Payload,
    /// The third segment.
    Signature,
}

impl TokenPart {
    /// Lower-case name used in messages and in the JS `part` field.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPart::Token => "token",
            TokenPart::Header => "header",
            TokenPart::Payload => "payload",
            TokenPart::Signature => "signature",
        }
    }
}

/// What is wrong with an option (most options are URLs).
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
    /// Not a Convex Cloud URL, so the site URL cannot be derived.
    SiteUrlRequired,
    /// A cloud URL and a site URL of two different Convex Cloud deployments.
    DeploymentMismatch {
        /// The site URL that belongs with the given cloud URL.
        suggestion: String,
    },
}

/// The kind of an [`Error`], with its structured fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_CONFIG_INVALID`: an option is wrong; the problem says how to fix it.
    ConfigInvalid {
        /// The option's JS name, e.g. `"siteUrl"`.
        option: &'static str,
        /// The value given (as text).
        value: String,
        /// What is wrong with it.
        problem: ConfigProblem,
    },
    /// `ERR_URL_INVALID`: a request URL that cannot be parsed or carries credentials.
    UrlInvalid {
        /// The URL given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// `ERR_FOREIGN_ORIGIN`: a request that would carry the token to another origin.
    ForeignOrigin {
        /// The requested URL.
        url: String,
        /// The only origin tokens may be sent to.
        allowed_origin: String,
        /// Set when the URL is the deployment's `.convex.cloud` origin.
        cloud_origin: bool,
    },
    /// `ERR_JWT_TOO_LARGE`: refused before any parsing.
    JwtTooLarge {
        /// Length of the token in bytes.
        size: usize,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// `ERR_JWT_MALFORMED`: not a well-formed compact JWS.
    JwtMalformed {
        /// Where the problem is.
        part: TokenPart,
        /// What is wrong.
        reason: String,
    },
    /// `ERR_JWT_CLAIM_MISSING`: a required claim or header parameter is absent.
    ClaimMissing {
        /// The claim's name, e.g. `"exp"`.
        claim: &'static str,
    },
    /// `ERR_JWT_CLAIM_INVALID`: a claim has the wrong type or an impossible value.
    ClaimInvalid {
        /// The claim's name.
        claim: &'static str,
        /// What the claim must be.
        expected: &'static str,
        /// What was found, as JSON text.
        actual: String,
    },
    /// `ERR_STORAGE_UNAVAILABLE`: the requested storage cannot be used.
    StorageUnavailable {
        /// Which storage, e.g. `"localStorage"`.
        storage: String,
        /// Why.
        reason: String,
    },
}

/// The crate's error: a boxed [`ErrorKind`] (small to move around, cheap on the happy path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// Every code an [`Error`] can carry, for documentation and for the TypeScript union.
pub const ERROR_CODES: &[&str] = &[
    "ERR_CONFIG_INVALID",
    "ERR_URL_INVALID",
    "ERR_FOREIGN_ORIGIN",
    "ERR_JWT_TOO_LARGE",
    "ERR_JWT_MALFORMED",
    "ERR_JWT_CLAIM_MISSING",
    "ERR_JWT_CLAIM_INVALID",
    "ERR_STORAGE_UNAVAILABLE",
];

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The kind with its structured fields.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The stable code JavaScript sees as `error.code`.
    pub fn code(&self) -> &'static str {
        match self.kind() {
            ErrorKind::ConfigInvalid { .. } => "ERR_CONFIG_INVALID",
            ErrorKind::UrlInvalid { .. } => "ERR_URL_INVALID",
            ErrorKind::ForeignOrigin { .. } => "ERR_FOREIGN_ORIGIN",
            ErrorKind::JwtTooLarge { .. } => "ERR_JWT_TOO_LARGE",
            ErrorKind::JwtMalformed { .. } => "ERR_JWT_MALFORMED",
            ErrorKind::ClaimMissing { .. } => "ERR_JWT_CLAIM_MISSING",
            ErrorKind::ClaimInvalid { .. } => "ERR_JWT_CLAIM_INVALID",
            ErrorKind::StorageUnavailable { .. } => "ERR_STORAGE_UNAVAILABLE",
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            ErrorKind::ConfigInvalid {
                option,
                value,
                problem,
            } => write_config_problem(f, option, value, problem),
            ErrorKind::UrlInvalid { url, reason } => {
                write!(f, "cannot send a request to {url:?}: {reason}")
            }
            ErrorKind::ForeignOrigin {
                url,
                allowed_origin,
                cloud_origin,
            } => {
                write!(
                    f,
                    "refused to send the access token to {url}: only {allowed_origin} may receive it"
                )?;
                if *cloud_origin {
                    write!(
                        f,
                        " — HTTP actions are served from the .convex.site URL, not .convex.cloud; \
                         use a path such as \"/myAction\" or a URL on {allowed_origin}"
                    )?;
                }
                Ok(())
            }
            ErrorKind::JwtTooLarge { size, limit } => write!(
                f,
                "token is {size} bytes, over the {limit}-byte limit; Convex Auth tokens are under 1 KB \
                 unless custom claims are large"
            ),
            ErrorKind::JwtMalformed { part, reason } => {
                write!(f, "malformed JWT {}: {reason}", part.as_str())
            }
            ErrorKind::ClaimMissing { claim } => {
                write!(f, "the token has no \"{claim}\" claim, which is required")
            }
            ErrorKind::ClaimInvalid {
                claim,
                expected,
                actual,
            } => write!(
                f,
                "the token's \"{claim}\" claim is {actual}, but it must be {expected}"
            ),
            ErrorKind::StorageUnavailable { storage, reason } => write!(
                f,
                "{storage} is unavailable ({reason}); tokens are kept in memory for this page only"
            ),
        }
    }
}

fn write_config_problem(
    f: &mut fmt::Formatter<'_>,
    option: &str,
    value: &str,
    problem: &ConfigProblem,
) -> fmt::Result {
    write!(f, "invalid {option} {value:?}: ")?;
    match problem {
        ConfigProblem::WrongType { expected } => write!(f, "it must be {expected}"),
        ConfigProblem::Empty => write!(f, "it is empty; pass your deployment's URL"),
        ConfigProblem::NotAUrl(reason) => write!(
            f,
            "not an absolute URL ({reason}); expected e.g. https://happy-otter-123.convex.cloud"
        ),
        ConfigProblem::Quoted => write!(f, "remove the quotes around the URL"),
        ConfigProblem::UnsupportedScheme(scheme) => {
            write!(f, "the scheme {scheme:?} is not supported; use https:")
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
            "the path {path:?} does not belong in a deployment URL; give the origin only"
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
        ConfigProblem::SiteUrlRequired => write!(
            f,
            "this is not a Convex Cloud (.convex.cloud) URL, so the site URL cannot be derived; \
             pass siteUrl explicitly (a local backend serves HTTP actions on its site port, e.g. :3211)"
        ),
        ConfigProblem::DeploymentMismatch { suggestion } => write!(
            f,
            "it belongs to a different deployment than convexUrl; the matching site URL is {suggestion}"
        ),
    }
}
