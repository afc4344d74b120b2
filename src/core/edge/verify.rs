//! Verification in order: size, structure, `crit`, generation, algorithm allow-list, key
//! selection, signature, and only then the claims — their types and values — so nothing an unauthenticated token says
//! is ever interpreted or reported back.

use super::algorithm::Algorithm;
use super::error::EdgeError;
use super::generation::Generation;
use super::jwks::{Jwk, KeySet};
use super::policy::{Policy, check_claims};
use crate::core::shared::error::Result;
use crate::core::shared::json::Value;
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

/// An unverified token's `alg` as errors may show it: a registered JWS algorithm name says what
/// to configure; anything else is the forger's text and is not reported back.
fn shown_alg(alg: &str) -> String {
    const REGISTERED: [&str; 15] = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256",
        "PS384", "PS512", "EdDSA", "ES256K", "none",
    ];
    match REGISTERED.iter().find(|name| **name == alg) {
        Some(name) => (*name).to_owned(),
        None => "(not a registered algorithm)".to_owned(),
    }
}

/// An unverified token's `kid` as errors may show it: a plain key id (letters, digits, `._~-`,
/// at most 64) says which key is missing; anything else is not reported back.
fn shown_kid(kid: &str) -> String {
    let plain = (1..=64).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._~-".contains(&b));
    if plain {
        kid.to_owned()
    } else {
        "(not a plain key id)".to_owned()
    }
}

/// The checks before any crypto: size, structure, `crit`, algorithm allow-list, key selection.
pub fn prepare<'k>(token: &str, keys: &'k KeySet, policy: &Policy) -> Result<Unverified<'k>> {
    let decoded = token::decode_structure(token, policy.max_token_bytes)?;
    if decoded.header.raw.get("crit").is_some() {
        // No extension is understood here, so any `crit` must be refused (RFC 7515 §4.1.11).
        return Err(EdgeError::CritUnsupported.into());
    }
    check_generation(&decoded, policy)?;
    let alg = Algorithm::from_name(&decoded.header.alg)
        .filter(|a| policy.algorithms.contains(a))
        .ok_or_else(|| EdgeError::AlgNotAllowed {
            alg: shown_alg(&decoded.header.alg),
            allowed: policy.algorithms.iter().map(|a| a.name()).collect(),
        })?;
    let candidates = keys.candidates(&decoded.header, alg);
    if candidates.is_empty() {
        return Err(EdgeError::NoMatchingKey {
            kid: decoded.header.kid.as_deref().map(shown_kid),
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

/// A token of the other Convex Auth generation than the configured one, whose algorithm the
/// policy does not allow, is refused with the option to use (not with `ERR_JWT_ALG_NOT_ALLOWED`).
fn check_generation(decoded: &RawToken, policy: &Policy) -> Result<()> {
    let Some(configured) = policy.generation else {
        return Ok(());
    };
    let alg = decoded.header.alg.as_str();
    if policy.algorithms.iter().any(|a| a.name() == alg) {
        // An allowed algorithm goes on to the key and signature checks; the unverified issuer
        // is read only to name the mismatch of a token that is refused anyway.
        return Ok(());
    }
    let iss = decoded.payload.get("iss").and_then(Value::as_str);
    match Generation::of_token(alg, iss) {
        Some(token) if token != configured => {
            Err(EdgeError::GenerationMismatch { configured, token }.into())
        }
        _ => Ok(()),
    }
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
    let signature_ok = unverified
        .candidates
        .iter()
        .any(|key| key.verify(unverified.alg, message, &unverified.token.signature));
    finish(unverified, signature_ok, policy, now)
}
