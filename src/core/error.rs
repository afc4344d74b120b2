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

/// What is wrong with a JSON Web Key Set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksProblem {
    /// Over the size limit (bytes given).
    TooLarge(usize),
    /// Not a JSON object (the parser's reason).
    NotJson(String),
    /// No `keys` array.
    NoKeysArray,
    /// `keys[i]` is not an object.
    KeyNotObject(usize),
    /// `keys[i]` lacks a required member.
    MissingField {
        /// Index in `keys`.
        index: usize,
        /// The member, e.g. `"n"`.
        field: &'static str,
    },
    /// `keys[i].field` is not base64url.
    BadBase64 {
        /// Index in `keys`.
        index: usize,
        /// The member.
        field: &'static str,
    },
    /// An RSA modulus outside 2048–8192 bits.
    RsaKeySize {
        /// Index in `keys`.
        index: usize,
        /// The modulus length.
        bits: usize,
    },
    /// An RSA exponent that is even, empty or absurdly long.
    RsaExponent {
        /// Index in `keys`.
        index: usize,
    },
    /// No RSA signing key in the set.
    NoUsableKey,
}

impl fmt::Display for JwksProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksProblem::TooLarge(n) => write!(f, "it is {n} bytes, over the 256 KB limit"),
            JwksProblem::NotJson(reason) => write!(f, "it is not a JSON object ({reason})"),
            JwksProblem::NoKeysArray => write!(f, "it has no \"keys\" array"),
            JwksProblem::KeyNotObject(i) => write!(f, "keys[{i}] is not an object"),
            JwksProblem::MissingField { index, field } => {
                write!(f, "keys[{index}] has no \"{field}\"")
            }
            JwksProblem::BadBase64 { index, field } => {
                write!(f, "keys[{index}].{field} is not base64url")
            }
            JwksProblem::RsaKeySize { index, bits } => write!(
                f,
                "keys[{index}] is a {bits}-bit RSA key; only 2048 to 8192 bits are accepted"
            ),
            JwksProblem::RsaExponent { index } => {
                write!(f, "keys[{index}] has an invalid RSA exponent")
            }
            JwksProblem::NoUsableKey => write!(
                f,
                "it has no RSA signing key (Convex Auth's JWKS has one: {{\"use\":\"sig\",\"kty\":\"RSA\",…}})"
            ),
        }
    }
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
    /// `ERR_JWT_ALG_NOT_ALLOWED`: the header's `alg` is outside the allow-list (checked before
    /// any crypto, so `none` and HMAC confusion never reach a key).
    AlgNotAllowed {
        /// The token's `alg`.
        alg: String,
        /// The allow-list.
        allowed: Vec<&'static str>,
    },
    /// `ERR_JWT_SIGNATURE_INVALID`: no candidate key verifies the signature.
    SignatureInvalid {
        /// How many keys were tried.
        keys_tried: usize,
    },
    /// `ERR_JWT_EXPIRED`: `exp` has passed (beyond the clock tolerance).
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The verifier's clock.
        now: i64,
        /// The tolerance in seconds.
        tolerance: i64,
    },
    /// `ERR_JWT_NOT_YET_VALID`: `nbf` or `iat` is in the future (beyond the tolerance).
    NotYetValid {
        /// `"nbf"` or `"iat"`.
        claim: &'static str,
        /// Its value.
        value: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// `ERR_JWT_TOO_OLD`: issued longer ago than `maxTokenAge`.
    TooOld {
        /// The token's `iat`.
        iat: i64,
        /// The limit in seconds.
        max_age: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// `ERR_JWT_ISSUER_MISMATCH`: `iss` is not the expected issuer.
    IssuerMismatch {
        /// The issuer the verifier expects.
        expected: String,
        /// The token's issuer.
        actual: String,
    },
    /// `ERR_JWT_AUDIENCE_MISMATCH`: no `aud` entry is accepted.
    AudienceMismatch {
        /// Accepted audiences.
        expected: Vec<String>,
        /// The token's audiences.
        actual: Vec<String>,
    },
    /// `ERR_JWKS_INVALID`: the key set cannot be used.
    JwksInvalid {
        /// What is wrong.
        problem: JwksProblem,
    },
    /// `ERR_JWKS_NO_MATCHING_KEY`: no key fits the token's `kid`/`alg`.
    NoMatchingKey {
        /// The token's `kid`, if any.
        kid: Option<String>,
        /// The token's `alg`.
        alg: String,
    },
    /// `ERR_JWKS_FETCH_FAILED`: the JWKS could not be fetched (and no earlier keys can serve).
    JwksFetchFailed {
        /// The JWKS URL.
        url: String,
        /// The HTTP status, when there was a response.
        status: Option<u16>,
        /// What went wrong.
        reason: String,
    },
    /// `ERR_NETWORK_OR_CORS`: the request never got an HTTP answer (offline, DNS, refused
    /// connection, or — in browsers, indistinguishably — a CORS refusal).
    NetworkOrCors {
        /// The URL requested.
        url: String,
        /// The runtime's message.
        reason: String,
        /// True when the URL is cross-origin for the page, so CORS may be the cause.
        cross_origin: bool,
    },
    /// `ERR_HTTP_STATUS`: an HTTP answer that is neither success nor a function error.
    HttpStatus {
        /// The URL requested.
        url: String,
        /// The status.
        status: u16,
        /// The start of the body (an error code and message, usually).
        body: String,
    },
    /// `ERR_FUNCTION_FAILED`: a Convex function threw (HTTP 560).
    FunctionFailed {
        /// The function, e.g. `"messages:send"`.
        path: String,
        /// `errorMessage`.
        message: String,
        /// `errorData` as JSON text, when the function threw a `ConvexError`.
        data: Option<String>,
    },
    /// `ERR_SIGN_IN_FAILED`: `auth:signIn` refused the credentials or the flow.
    SignInFailed {
        /// The server's message.
        message: String,
    },
    /// `ERR_REFRESH_REJECTED`: the server ended the session (`{"tokens":null}`).
    RefreshRejected,
    /// `ERR_NOT_SIGNED_IN`: an authenticated call without a session.
    NotSignedIn,
    /// `ERR_DISPOSED`: the session manager was disposed.
    Disposed,
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
    "ERR_JWT_ALG_NOT_ALLOWED",
    "ERR_JWT_SIGNATURE_INVALID",
    "ERR_JWT_EXPIRED",
    "ERR_JWT_NOT_YET_VALID",
    "ERR_JWT_TOO_OLD",
    "ERR_JWT_ISSUER_MISMATCH",
    "ERR_JWT_AUDIENCE_MISMATCH",
    "ERR_JWKS_INVALID",
    "ERR_JWKS_NO_MATCHING_KEY",
    "ERR_JWKS_FETCH_FAILED",
    "ERR_NETWORK_OR_CORS",
    "ERR_HTTP_STATUS",
    "ERR_FUNCTION_FAILED",
    "ERR_SIGN_IN_FAILED",
    "ERR_REFRESH_REJECTED",
    "ERR_NOT_SIGNED_IN",
    "ERR_DISPOSED",
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
            ErrorKind::AlgNotAllowed { .. } => "ERR_JWT_ALG_NOT_ALLOWED",
            ErrorKind::SignatureInvalid { .. } => "ERR_JWT_SIGNATURE_INVALID",
            ErrorKind::Expired { .. } => "ERR_JWT_EXPIRED",
            ErrorKind::NotYetValid { .. } => "ERR_JWT_NOT_YET_VALID",
            ErrorKind::TooOld { .. } => "ERR_JWT_TOO_OLD",
            ErrorKind::IssuerMismatch { .. } => "ERR_JWT_ISSUER_MISMATCH",
            ErrorKind::AudienceMismatch { .. } => "ERR_JWT_AUDIENCE_MISMATCH",
            ErrorKind::JwksInvalid { .. } => "ERR_JWKS_INVALID",
            ErrorKind::NoMatchingKey { .. } => "ERR_JWKS_NO_MATCHING_KEY",
            ErrorKind::JwksFetchFailed { .. } => "ERR_JWKS_FETCH_FAILED",
            ErrorKind::NetworkOrCors { .. } => "ERR_NETWORK_OR_CORS",
            ErrorKind::HttpStatus { .. } => "ERR_HTTP_STATUS",
            ErrorKind::FunctionFailed { .. } => "ERR_FUNCTION_FAILED",
            ErrorKind::SignInFailed { .. } => "ERR_SIGN_IN_FAILED",
            ErrorKind::RefreshRejected => "ERR_REFRESH_REJECTED",
            ErrorKind::NotSignedIn => "ERR_NOT_SIGNED_IN",
            ErrorKind::Disposed => "ERR_DISPOSED",
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
            ErrorKind::AlgNotAllowed { alg, allowed } => write!(
                f,
                "the token's algorithm {alg:?} is not allowed (allowed: {}); Convex Auth signs with RS256",
                allowed.join(", ")
            ),
            ErrorKind::SignatureInvalid { keys_tried } => write!(
                f,
                "the signature does not match any of the {keys_tried} key(s) tried: the token was \
                 altered, or the JWKS does not belong to the JWT_PRIVATE_KEY that signed it"
            ),
            ErrorKind::Expired {
                exp,
                now,
                tolerance,
            } => write!(
                f,
                "the token expired {}s ago (exp {exp}, now {now}, tolerance {tolerance}s); refresh it",
                now - exp
            ),
            ErrorKind::NotYetValid { claim, value, now } => write!(
                f,
                "the token's \"{claim}\" ({value}) is {}s in the future; check the clocks",
                value - now
            ),
            ErrorKind::TooOld { iat, max_age, now } => write!(
                f,
                "the token was issued {}s ago, over maxTokenAge ({max_age}s)",
                now - iat
            ),
            ErrorKind::IssuerMismatch { expected, actual } => {
                write!(
                    f,
                    "token issuer is {actual} but this verifier expects {expected}"
                )?;
                if actual.trim_end_matches('/').ends_with(".convex.cloud") {
                    write!(f, " — the issuer is always the .convex.site URL")?;
                }
                Ok(())
            }
            ErrorKind::AudienceMismatch { expected, actual } => write!(
                f,
                "token audience {actual:?} is not accepted (expected one of {expected:?}); Convex \
                 Auth tokens have the audience \"convex\""
            ),
            ErrorKind::JwksInvalid { problem } => write!(f, "invalid JWKS: {problem}"),
            ErrorKind::NoMatchingKey {
                kid: Some(kid),
                alg,
            } => write!(
                f,
                "no key in the JWKS has kid {kid:?} for {alg}; the keys may have been rotated"
            ),
            ErrorKind::NetworkOrCors {
                url,
                reason,
                cross_origin,
            } => {
                write!(f, "the request to {url} got no HTTP answer ({reason})")?;
                if *cross_origin {
                    write!(
                        f,
                        " — if the server is up, this is CORS: the HTTP action must answer OPTIONS \
                         (preflight) and send Access-Control-Allow-Origin for this page's origin \
                         (and Access-Control-Allow-Headers: Authorization, Content-Type)"
                    )?;
                }
                Ok(())
            }
            ErrorKind::HttpStatus { url, status, body } => {
                write!(f, "{url} answered HTTP {status}: {body}")
            }
            ErrorKind::FunctionFailed {
                path,
                message,
                data,
            } => {
                write!(f, "{path} failed: {message}")?;
                match data {
                    Some(data) => write!(f, " (errorData: {data})"),
                    None => Ok(()),
                }
            }
            ErrorKind::SignInFailed { message } => write!(f, "sign-in failed: {message}"),
            ErrorKind::RefreshRejected => write!(
                f,
                "the session has ended (the server refused the refresh token): sign in again"
            ),
            ErrorKind::NotSignedIn => write!(f, "not signed in: sign in before calling this"),
            ErrorKind::Disposed => write!(f, "this SessionManager was disposed"),
            ErrorKind::JwksFetchFailed {
                url,
                status,
                reason,
            } => {
                write!(f, "could not fetch the JWKS from {url}: {reason}")?;
                if status == &Some(404) {
                    write!(
                        f,
                        " — is this the .convex.site URL, and does convex/http.ts call auth.addHttpRoutes(http)?"
                    )?;
                }
                write!(
                    f,
                    "; or pass the deployment's JWKS inline with the `jwks` option"
                )
            }
            ErrorKind::NoMatchingKey { kid: None, alg } => {
                write!(f, "no key in the JWKS can verify {alg}")
            }
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
