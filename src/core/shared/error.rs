//! One error type for the whole crate, with stable codes.
//!
//! Every failure is an [`Error`] whose [`ErrorKind`] carries structured fields (which option,
//! which claim, what was expected, what was found). [`Error::code`] is the stable `ERR_…` string
//! JavaScript sees as `error.code`; [`std::fmt::Display`] is the corrective message.
//!
//! The kinds both products share live here; each product's own kinds (and their message text)
//! live with it ([`ClientError`](crate::core::client::ClientError),
//! [`EdgeError`](crate::core::edge::EdgeError)), so one wasm module never carries the other's.

use std::fmt;
use std::rc::Rc;

pub use super::config_problem::ConfigProblem;

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
        /// What was found, as JSON text (at most 100 characters).
        actual: String,
    },
    /// The session manager's failures.
    #[cfg(feature = "client")]
    Client(crate::core::client::ClientError),
    /// The verifier's failures.
    #[cfg(feature = "edge")]
    Edge(crate::core::edge::EdgeError),
}

/// The crate's error: a shared [`ErrorKind`] (small to move around, cheap on the happy path, and
/// a clone — the key store hands its last fetch failure to every waiting call — is a count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Rc<ErrorKind>);

/// The codes of the shared kinds (each product adds its own).
pub const SHARED_ERROR_CODES: &[&str] = &[
    "ERR_CONFIG_INVALID",
    "ERR_URL_INVALID",
    "ERR_JWT_TOO_LARGE",
    "ERR_JWT_MALFORMED",
    "ERR_JWT_CLAIM_MISSING",
    "ERR_JWT_CLAIM_INVALID",
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
            ErrorKind::JwtTooLarge { .. } => "ERR_JWT_TOO_LARGE",
            ErrorKind::JwtMalformed { .. } => "ERR_JWT_MALFORMED",
            ErrorKind::ClaimMissing { .. } => "ERR_JWT_CLAIM_MISSING",
            ErrorKind::ClaimInvalid { .. } => "ERR_JWT_CLAIM_INVALID",
            #[cfg(feature = "client")]
            ErrorKind::Client(e) => e.code(),
            #[cfg(feature = "edge")]
            ErrorKind::Edge(e) => e.code(),
        }
    }

    /// The session manager's kind, if this is one.
    #[cfg(feature = "client")]
    pub fn client(&self) -> Option<&crate::core::client::ClientError> {
        match self.kind() {
            ErrorKind::Client(e) => Some(e),
            _ => None,
        }
    }

    /// The verifier's kind, if this is one.
    #[cfg(feature = "edge")]
    pub fn edge(&self) -> Option<&crate::core::edge::EdgeError> {
        match self.kind() {
            ErrorKind::Edge(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Rc::new(kind))
    }
}

impl std::error::Error for Error {}

/// Shortens attacker- or server-controlled text quoted in a message or field.
pub fn truncate(text: &str, max_chars: usize) -> String {
    // `get` rather than indexing: `cut` is a char boundary, and no panic path is linked.
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            ErrorKind::ConfigInvalid {
                option,
                value,
                problem,
            } => {
                write!(f, "invalid {option} \"{value}\": ")?;
                problem.fmt(f)
            }
            ErrorKind::UrlInvalid { url, reason } => {
                write!(f, "cannot send a request to \"{url}\": {reason}")
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
            #[cfg(feature = "client")]
            ErrorKind::Client(e) => e.fmt(f),
            #[cfg(feature = "edge")]
            ErrorKind::Edge(e) => e.fmt(f),
        }
    }
}
