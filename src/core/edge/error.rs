//! The verifier's error kinds and their corrective messages.

use std::fmt;

use super::generation::{Generation, V2_ISSUER_PATH};
use crate::core::shared::error::{Error, ErrorKind};

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
    /// No usable signing key in the set (no RSA key, no valid EC P-256 key).
    NoUsableKey,
    /// No usable signing key, and `keys[index]` is a P-256 key whose `x`/`y` are missing, not
    /// 32 bytes each, or not a point on the curve.
    NoUsableKeyBadEcPoint {
        /// Index in `keys` of the first such key.
        index: usize,
    },
}

const NO_USABLE_KEY: &str = "it has no RSA signing key (Convex Auth's JWKS has one: \
     {\"use\":\"sig\",\"kty\":\"RSA\",…}) nor a valid EC P-256 key (Convex Auth 2's has one: \
     {\"kty\":\"EC\",\"crv\":\"P-256\",…})";

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
            JwksProblem::NoUsableKey => f.write_str(NO_USABLE_KEY),
            JwksProblem::NoUsableKeyBadEcPoint { index } => write!(
                f,
                "{NO_USABLE_KEY}, and keys[{index}] is not a P-256 point (x and y must be 32 bytes \
                 each and on the curve)"
            ),
        }
    }
}

/// What went wrong verifying a token or getting the keys to verify it with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EdgeError {
    /// `ERR_JWT_ALG_NOT_ALLOWED`: the header's `alg` is outside the allow-list (checked before
    /// any crypto, so `none` and HMAC confusion never reach a key).
    AlgNotAllowed {
        /// The token's `alg`.
        alg: String,
        /// The allow-list.
        allowed: Vec<&'static str>,
    },
    /// `ERR_JWT_GENERATION_MISMATCH`: the token's header and issuer are another Convex Auth
    /// generation's than the one the verifier was configured for (decided before the
    /// algorithm and key checks; nothing else from the token is reported).
    GenerationMismatch {
        /// The generation the verifier was configured for.
        configured: Generation,
        /// The generation the token's header and issuer point to.
        token: Generation,
    },
    /// `ERR_JWT_CRIT_UNSUPPORTED`: the header lists critical extensions (`crit`) this verifier
    /// does not understand, so it must refuse the token (RFC 7515 §4.1.11).
    CritUnsupported,
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
}

/// Every code an [`EdgeError`] can carry.
pub const EDGE_ERROR_CODES: &[&str] = &[
    "ERR_JWT_ALG_NOT_ALLOWED",
    "ERR_JWT_GENERATION_MISMATCH",
    "ERR_JWT_CRIT_UNSUPPORTED",
    "ERR_JWT_SIGNATURE_INVALID",
    "ERR_JWT_EXPIRED",
    "ERR_JWT_NOT_YET_VALID",
    "ERR_JWT_TOO_OLD",
    "ERR_JWT_ISSUER_MISMATCH",
    "ERR_JWT_AUDIENCE_MISMATCH",
    "ERR_JWKS_INVALID",
    "ERR_JWKS_NO_MATCHING_KEY",
    "ERR_JWKS_FETCH_FAILED",
];

impl EdgeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            EdgeError::AlgNotAllowed { .. } => "ERR_JWT_ALG_NOT_ALLOWED",
            EdgeError::GenerationMismatch { .. } => "ERR_JWT_GENERATION_MISMATCH",
            EdgeError::CritUnsupported => "ERR_JWT_CRIT_UNSUPPORTED",
            EdgeError::SignatureInvalid { .. } => "ERR_JWT_SIGNATURE_INVALID",
            EdgeError::Expired { .. } => "ERR_JWT_EXPIRED",
            EdgeError::NotYetValid { .. } => "ERR_JWT_NOT_YET_VALID",
            EdgeError::TooOld { .. } => "ERR_JWT_TOO_OLD",
            EdgeError::IssuerMismatch { .. } => "ERR_JWT_ISSUER_MISMATCH",
            EdgeError::AudienceMismatch { .. } => "ERR_JWT_AUDIENCE_MISMATCH",
            EdgeError::JwksInvalid { .. } => "ERR_JWKS_INVALID",
            EdgeError::NoMatchingKey { .. } => "ERR_JWKS_NO_MATCHING_KEY",
            EdgeError::JwksFetchFailed { .. } => "ERR_JWKS_FETCH_FAILED",
        }
    }
}

impl From<EdgeError> for Error {
    fn from(kind: EdgeError) -> Self {
        ErrorKind::Edge(kind).into()
    }
}

impl From<JwksProblem> for Error {
    fn from(problem: JwksProblem) -> Self {
        EdgeError::JwksInvalid { problem }.into()
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[impl AsRef<str>]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        write!(f, "{sep}\"{}\"", item.as_ref())?;
    }
    Ok(())
}

impl fmt::Display for EdgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EdgeError::AlgNotAllowed { alg, allowed } => {
                write!(
                    f,
                    "the token's algorithm \"{alg}\" is not allowed (allowed: "
                )?;
                write_list(f, allowed)?;
                write!(f, "); Convex Auth signs with RS256 (0.x) or ES256 (2)")
            }
            EdgeError::GenerationMismatch { configured, token } => write!(
                f,
                "this is a {} token, but the verifier is set up for {} ({}); create it with \
                 {{ {}: {} }} to verify {} tokens",
                token.name(),
                configured.name(),
                configured.option(),
                token.option(),
                token.option_value(),
                token.name()
            ),
            EdgeError::CritUnsupported => f.write_str(
                "the token's header marks extensions as critical (crit), which this verifier \
                 does not support; Convex Auth never sets crit",
            ),
            EdgeError::SignatureInvalid { keys_tried } => write!(
                f,
                "the signature does not match any of the {keys_tried} key(s) tried: the token was \
                 altered, or the JWKS lacks the key that signed it"
            ),
            EdgeError::Expired {
                exp,
                now,
                tolerance,
            } => write!(
                f,
                "the token expired {}s ago (exp {exp}, now {now}, tolerance {tolerance}s); refresh it",
                now - exp
            ),
            EdgeError::NotYetValid { claim, value, now } => write!(
                f,
                "the token's \"{claim}\" ({value}) is {}s in the future; check the clocks",
                value - now
            ),
            EdgeError::TooOld { iat, max_age, now } => write!(
                f,
                "the token was issued {}s ago, over maxTokenAge ({max_age}s)",
                now - iat
            ),
            EdgeError::IssuerMismatch { expected, actual } => {
                write!(
                    f,
                    "token issuer is {actual} but this verifier expects {expected}"
                )?;
                let v2 = expected.ends_with(V2_ISSUER_PATH);
                if !v2 && actual.trim_end_matches('/').ends_with(".convex.cloud") {
                    write!(f, " — the issuer is always the .convex.site URL")?;
                } else if v2 && !actual.trim_end_matches('/').ends_with(V2_ISSUER_PATH) {
                    write!(f, " — not a Convex Auth 2 session token")?;
                }
                Ok(())
            }
            EdgeError::AudienceMismatch { expected, actual } => {
                write!(f, "token audience [")?;
                write_list(f, actual)?;
                write!(f, "] is not accepted (expected one of [")?;
                write_list(f, expected)?;
                write!(
                    f,
                    "]); Convex Auth's is \"convex\" (0.x) or \"convex-auth\" (2)"
                )
            }
            EdgeError::JwksInvalid { problem } => write!(f, "invalid JWKS: {problem}"),
            EdgeError::NoMatchingKey {
                kid: Some(kid),
                alg,
            } => write!(
                f,
                "no key in the JWKS has kid \"{kid}\" for {alg}; the keys may have been rotated"
            ),
            EdgeError::NoMatchingKey { kid: None, alg } => {
                write!(f, "no key in the JWKS can verify {alg}")
            }
            EdgeError::JwksFetchFailed {
                url,
                status,
                reason,
            } => {
                write!(f, "could not fetch the JWKS from {url}: {reason}")?;
                let cloud = url
                    .split('/')
                    .nth(2)
                    .is_some_and(|h| h.ends_with(".convex.cloud"));
                if status == &Some(404) && cloud {
                    write!(f, " — is the deployment on convex ≥ 1.48?")?;
                } else if status == &Some(404) {
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
        }
    }
}
