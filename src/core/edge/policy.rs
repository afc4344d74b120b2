//! The verification policy: what a token's claims must satisfy to be accepted. Safe by default.

use super::algorithm::Algorithm;
use super::error::EdgeError;
use super::generation::Generation;
use crate::core::shared::error::{ErrorKind, Result};
use crate::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, DecodedToken};

/// What a verified token must satisfy. Build with [`Policy::new`] and adjust fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Expected `iss`, compared exactly after dropping one trailing slash on both sides.
    /// Default: the deployment's site URL.
    pub issuer: String,
    /// Accepted `aud` values; the token must name at least one. Default: `["convex"]`.
    pub audiences: Vec<String>,
    /// Allowed `alg`s, checked before any crypto. Default: `[RS256]`. Never empty.
    pub algorithms: Vec<Algorithm>,
    /// Seconds of clock skew forgiven for `exp`, `nbf`, `iat`. Default: 5.
    pub clock_tolerance: i64,
    /// Maximum seconds since `iat`, if set (requires `iat`). Default: none.
    pub max_token_age: Option<i64>,
    /// Maximum token length in bytes, checked before parsing. Default: 8192.
    pub max_token_bytes: usize,
    /// The Convex Auth generation the verifier was configured for, if it was configured by a
    /// deployment URL: a token of the other generation is refused with
    /// `ERR_JWT_GENERATION_MISMATCH` before its algorithm is checked. Default: none.
    pub generation: Option<Generation>,
}

impl Policy {
    /// The default policy for tokens issued by `issuer`.
    pub fn new(issuer: &str) -> Self {
        Policy {
            issuer: issuer.to_owned(),
            audiences: vec!["convex".to_owned()],
            algorithms: vec![Algorithm::RS256],
            clock_tolerance: 5,
            max_token_age: None,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            generation: None,
        }
    }
}

/// The claim checks, on a token whose signature is already verified.
pub fn check_claims(token: &DecodedToken, policy: &Policy, now: i64) -> Result<()> {
    let claims = &token.claims;
    let tolerance = policy.clock_tolerance;
    let exp = claims.exp.ok_or(ErrorKind::ClaimMissing { claim: "exp" })?;
    if now >= exp.saturating_add(tolerance) {
        return Err(EdgeError::Expired {
            exp,
            now,
            tolerance,
        }
        .into());
    }
    for (claim, value) in [("nbf", claims.nbf), ("iat", claims.iat)] {
        if let Some(value) = value.filter(|v| *v > now.saturating_add(tolerance)) {
            return Err(EdgeError::NotYetValid { claim, value, now }.into());
        }
    }
    if let Some(max_age) = policy.max_token_age {
        let iat = claims.iat.ok_or(ErrorKind::ClaimMissing { claim: "iat" })?;
        if now.saturating_sub(iat) > max_age.saturating_add(tolerance) {
            return Err(EdgeError::TooOld { iat, max_age, now }.into());
        }
    }
    match claims.sub.as_deref() {
        None => return Err(ErrorKind::ClaimMissing { claim: "sub" }.into()),
        Some("") => {
            return Err(ErrorKind::ClaimInvalid {
                claim: "sub",
                expected: "a non-empty string",
                actual: "\"\"".to_owned(),
            }
            .into());
        }
        Some(_) => {}
    }
    let iss = claims
        .iss
        .as_deref()
        .ok_or(ErrorKind::ClaimMissing { claim: "iss" })?;
    if trim_slash(iss) != trim_slash(&policy.issuer) {
        return Err(EdgeError::IssuerMismatch {
            expected: trim_slash(&policy.issuer).to_owned(),
            actual: iss.to_owned(),
        }
        .into());
    }
    let aud = claims
        .aud
        .as_ref()
        .ok_or(ErrorKind::ClaimMissing { claim: "aud" })?;
    if !aud.iter().any(|a| policy.audiences.iter().any(|p| p == a)) {
        return Err(EdgeError::AudienceMismatch {
            expected: policy.audiences.clone(),
            actual: aud.iter().map(str::to_owned).collect(),
        }
        .into());
    }
    Ok(())
}

/// The first instant at which a token that passed [`check_claims`] at some earlier time stops
/// passing: `exp` + tolerance, or `iat` + `maxTokenAge` + tolerance + 1 if that comes first.
pub fn valid_until(token: &DecodedToken, policy: &Policy) -> i64 {
    let by_exp = token
        .claims
        .exp
        .unwrap_or(i64::MIN)
        .saturating_add(policy.clock_tolerance);
    let by_age = match (policy.max_token_age, token.claims.iat) {
        (Some(max), Some(iat)) => iat
            .saturating_add(max)
            .saturating_add(policy.clock_tolerance)
            .saturating_add(1),
        _ => i64::MAX,
    };
    by_exp.min(by_age)
}

fn trim_slash(s: &str) -> &str {
    s.strip_suffix('/').unwrap_or(s)
}
