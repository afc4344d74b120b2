//! Verification in order: size, structure, `crit`, algorithm allow-list, key selection, signature,
//! and only then the claims — their types and values — so nothing an unauthenticated token says
//! is ever interpreted or reported back.

use super::error::EdgeError;
use super::jwks::{Jwk, KeySet};
use super::policy::{Policy, check_claims};
use super::rsa::Algorithm;
use crate::core::shared::error::{Result, truncate};
use crate::core::shared::json::to_text;
use crate::core::shared::token::{self, DecodedToken, RawToken};

/// A token that passed the checks that come before any crypto, with the keys to try.
#[derive(Debug)]
pub struct Unverified<'k> {
    /// The decoded token, claims not yet interpreted.
    pub token: RawToken,
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

/// The checks before any crypto: size, structure, `crit`, algorithm allow-list, key selection.
pub fn prepare<'k>(token: &str, keys: &'k KeySet, policy: &Policy) -> Result<Unverified<'k>> {
    let decoded = token::decode_structure(token, policy.max_token_bytes)?;
    if let Some(crit) = decoded.header.raw.get("crit") {
        // No extension is understood here, so any `crit` must be refused (RFC 7515 §4.1.11).
        return Err(EdgeError::CritUnsupported {
            crit: truncate(&to_text(crit), 100),
        }
        .into());
    }
    let alg = Algorithm::from_name(&decoded.header.alg)
        .filter(|a| policy.algorithms.contains(a))
        .ok_or_else(|| EdgeError::AlgNotAllowed {
            alg: truncate(&decoded.header.alg, 40),
            allowed: policy.algorithms.iter().map(|a| a.name()).collect(),
        })?;
    let candidates = keys.candidates(&decoded.header);
    if candidates.is_empty() {
        return Err(EdgeError::NoMatchingKey {
            kid: decoded.header.kid.as_deref().map(|k| truncate(k, 100)),
            alg: alg.name().to_owned(),
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
/// `now` is read by the caller after any wait for keys or crypto.
pub fn finish(
    unverified: Unverified<'_>,
    signature_ok: bool,
    policy: &Policy,
    now: i64,
) -> Result<DecodedToken> {
    if !signature_ok {
        return Err(EdgeError::SignatureInvalid {
            keys_tried: unverified.candidates.len(),
        }
        .into());
    }
    let decoded = unverified.token.into_decoded()?;
    check_claims(&decoded, policy, now)?;
    Ok(decoded)
}

/// Verifies `token` against `keys` under `policy` at time `now` (seconds since the epoch), with
/// the pure-Rust signature check.
pub fn verify(token: &str, keys: &KeySet, policy: &Policy, now: i64) -> Result<DecodedToken> {
    let unverified = prepare(token, keys, policy)?;
    let message = unverified.message(token);
    let signature_ok = unverified.candidates.iter().any(|key| {
        key.prepared
            .verify(unverified.alg, message, &unverified.token.signature)
    });
    finish(unverified, signature_ok, policy, now)
}
