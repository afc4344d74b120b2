//! The verification policy: what a token must satisfy to be accepted. Safe by default.

use super::crypto::Algorithm;
use super::error::{ErrorKind, Result};
use super::jwks::{Jwk, KeySet};
use super::token::{self, DEFAULT_MAX_TOKEN_BYTES, DecodedToken};

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
        }
    }
}

/// A token that passed the checks that come before any crypto, with the keys to try.
#[derive(Debug)]
pub struct Unverified<'k> {
    /// The decoded token.
    pub token: DecodedToken,
    /// The allowed algorithm it names.
    pub alg: Algorithm,
    /// The keys that may have signed it (never empty).
    pub candidates: Vec<&'k Jwk>,
}

impl Unverified<'_> {
    /// The signed bytes (`header.payload`) of `raw`, the token this was decoded from.
    pub fn message<'t>(&self, raw: &'t str) -> &'t [u8] {
        &raw.as_bytes()[..self.token.signing_input_len]
    }
}

/// The checks before any crypto: size, structure, algorithm allow-list, key selection.
pub fn prepare<'k>(token: &str, keys: &'k KeySet, policy: &Policy) -> Result<Unverified<'k>> {
    let decoded = token::decode(token, policy.max_token_bytes)?;
    let alg = Algorithm::from_name(&decoded.header.alg)
        .filter(|a| policy.algorithms.contains(a))
        .ok_or_else(|| ErrorKind::AlgNotAllowed {
            alg: decoded.header.alg.clone(),
            allowed: policy.algorithms.iter().map(|a| a.name()).collect(),
        })?;
    let candidates = keys.candidates(&decoded.header);
    if candidates.is_empty() {
        return Err(ErrorKind::NoMatchingKey {
            kid: decoded.header.kid.clone(),
            alg: decoded.header.alg.clone(),
        }
        .into());
    }
    Ok(Unverified {
        token: decoded,
        alg,
        candidates,
    })
}

/// The checks after the signature: `signature_ok` says whether any candidate key verified it.
pub fn finish(
    unverified: Unverified<'_>,
    signature_ok: bool,
    policy: &Policy,
    now: i64,
) -> Result<DecodedToken> {
    if !signature_ok {
        return Err(ErrorKind::SignatureInvalid {
            keys_tried: unverified.candidates.len(),
        }
        .into());
    }
    check_claims(&unverified.token, policy, now)?;
    Ok(unverified.token)
}

/// Verifies `token` against `keys` under `policy` at time `now` (seconds since the epoch), with
/// the pure-Rust signature check.
///
/// Order: size, structure, algorithm allow-list, key selection, signature, then claims — so no
/// claim of an unauthenticated token is ever reported as if it were true.
pub fn verify(token: &str, keys: &KeySet, policy: &Policy, now: i64) -> Result<DecodedToken> {
    let unverified = prepare(token, keys, policy)?;
    let message = unverified.message(token);
    let signature_ok = unverified.candidates.iter().any(|key| {
        key.prepared
            .verify(unverified.alg, message, &unverified.token.signature)
    });
    finish(unverified, signature_ok, policy, now)
}

/// The claim checks, on a token whose signature is already verified.
pub fn check_claims(token: &DecodedToken, policy: &Policy, now: i64) -> Result<()> {
    let claims = &token.claims;
    let tolerance = policy.clock_tolerance;
    let exp = claims.exp.ok_or(ErrorKind::ClaimMissing { claim: "exp" })?;
    if now >= exp.saturating_add(tolerance) {
        return Err(ErrorKind::Expired {
            exp,
            now,
            tolerance,
        }
        .into());
    }
    for (claim, value) in [("nbf", claims.nbf), ("iat", claims.iat)] {
        if let Some(value) = value.filter(|v| *v > now.saturating_add(tolerance)) {
            return Err(ErrorKind::NotYetValid { claim, value, now }.into());
        }
    }
    if let Some(max_age) = policy.max_token_age {
        let iat = claims.iat.ok_or(ErrorKind::ClaimMissing { claim: "iat" })?;
        if now.saturating_sub(iat) > max_age.saturating_add(tolerance) {
            return Err(ErrorKind::TooOld { iat, max_age, now }.into());
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
        return Err(ErrorKind::IssuerMismatch {
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
        return Err(ErrorKind::AudienceMismatch {
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
