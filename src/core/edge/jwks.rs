//! JSON Web Key Sets: parsing, key selection with or without `kid`, and key-set identity.
//!
//! Convex Auth serves one RSA key with no `kid` and signs tokens with no `kid`, so a token without
//! a `kid` is tried against every key that fits its algorithm; a token with a `kid` is checked
//! against that key only.

use crate::core::shared::json::Value;

use super::error::JwksProblem;
use super::rsa::PreparedRsaKey;
use crate::core::shared::error::{Error, Result};
use crate::core::shared::json::{JsonObject, parse_object};
use crate::core::shared::token::{Header, decode_base64url};

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (bounds the cost of one verification).
pub const MAX_RSA_BITS: usize = 8192;
/// Largest JWKS document accepted, in bytes.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

/// An RSA public key: big-endian modulus and exponent bytes, without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus `n`.
    pub n: Vec<u8>,
    /// The public exponent `e`.
    pub e: Vec<u8>,
}

impl RsaPublicKey {
    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        self.n
            .first()
            .map_or(0, |b| self.n.len() * 8 - b.leading_zeros() as usize)
    }
}

/// One usable signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `alg`, if the key is restricted to one algorithm.
    pub alg: Option<String>,
    /// The key material.
    pub key: RsaPublicKey,
    /// The key parsed for verification (done once per key set).
    pub prepared: PreparedRsaKey,
}

/// A parsed key set. Keys that cannot sign JWTs for us (encryption keys, unsupported types) are
/// skipped; a set with no usable key at all is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySet {
    keys: Vec<Jwk>,
    /// A fingerprint of the usable keys: equal sets have equal ids.
    id: u64,
}

impl KeySet {
    /// Parses a JWKS document (`{"keys":[…]}`), e.g. Convex's `JWKS` environment variable.
    pub fn parse(json: &str) -> Result<Self> {
        if json.len() > MAX_JWKS_BYTES {
            return Err(invalid(JwksProblem::TooLarge(json.len())));
        }
        let doc = match parse_object(json.trim().as_bytes()) {
            Ok(JsonObject::Unique(doc)) => doc,
            Ok(JsonObject::DuplicateKey) => {
                return Err(invalid(JwksProblem::NotJson("a key is named twice".into())));
            }
            Ok(JsonObject::NotAnObject) => {
                return Err(invalid(JwksProblem::NotJson("another JSON type".into())));
            }
            Err(e) => {
                let (line, column) = (e.line(), e.column());
                return Err(invalid(JwksProblem::NotJson(format!(
                    "line {line} column {column}"
                ))));
            }
        };
        let Some(Value::Array(entries)) = doc.get("keys") else {
            return Err(invalid(JwksProblem::NoKeysArray));
        };
        let mut keys = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if let Some(jwk) = parse_key(entry, index)? {
                keys.push(jwk);
            }
        }
        if keys.is_empty() {
            return Err(invalid(JwksProblem::NoUsableKey));
        }
        let id = fingerprint(&keys);
        Ok(KeySet { keys, id })
    }

    /// Every usable key.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// Identity of the key set: changes whenever the usable keys change.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The keys to try for a token: the one named by `kid`, or every key fitting `alg`.
    pub fn candidates(&self, header: &Header) -> Vec<&Jwk> {
        self.keys
            .iter()
            .filter(|k| {
                let kid_fits = match (&header.kid, &k.kid) {
                    (Some(wanted), Some(have)) => wanted == have,
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                kid_fits && k.alg.as_deref().is_none_or(|a| a == header.alg)
            })
            .collect()
    }
}

fn invalid(problem: JwksProblem) -> Error {
    problem.into()
}

fn parse_key(entry: &Value, index: usize) -> Result<Option<Jwk>> {
    let Value::Object(map) = entry else {
        return Err(invalid(JwksProblem::KeyNotObject(index)));
    };
    let text = |name: &str| map.get(name).and_then(Value::as_str);
    if text("kty") != Some("RSA") || text("use").is_some_and(|u| u != "sig") {
        return Ok(None); // Not a signing key we support; other keys may still serve.
    }
    let field = |name: &'static str| -> Result<Vec<u8>> {
        let b64 =
            text(name).ok_or_else(|| invalid(JwksProblem::MissingField { index, field: name }))?;
        let bytes = decode_base64url(b64)
            .map_err(|_| invalid(JwksProblem::BadBase64 { index, field: name }))?;
        Ok(strip_leading_zeros(bytes))
    };
    let key = RsaPublicKey {
        n: field("n")?,
        e: field("e")?,
    };
    let bits = key.bits();
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(invalid(JwksProblem::RsaKeySize { index, bits }));
    }
    let small_exponent = key.e.len() == 1 && key.e[0] < 3;
    if key.e.is_empty()
        || key.e.len() > 8
        || small_exponent
        || key.e.last().is_some_and(|b| b % 2 == 0)
    {
        return Err(invalid(JwksProblem::RsaExponent { index }));
    }
    Ok(Some(Jwk {
        kid: text("kid").map(str::to_owned),
        alg: text("alg").map(str::to_owned),
        prepared: PreparedRsaKey::new(&key),
        key,
    }))
}

fn strip_leading_zeros(mut bytes: Vec<u8>) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.drain(..zeros);
    bytes
}

/// FNV-1a over the usable keys' material and ids: cheap, stable, not a security boundary (it
/// only tells the cache when to forget verified tokens).
fn fingerprint(keys: &[Jwk]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain(&[0xff]) {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for k in keys {
        feed(k.kid.as_deref().unwrap_or("").as_bytes());
        feed(k.alg.as_deref().unwrap_or("").as_bytes());
        feed(&k.key.n);
        feed(&k.key.e);
    }
    hash
}
