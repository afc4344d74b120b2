//! JSON Web Key Sets: parsing, key selection with or without `kid`, and key-set identity.
//!
//! Convex Auth 0.x serves one RSA key with no `kid` and signs tokens with no `kid`, so a token
//! without a `kid` is tried against every key that fits its algorithm; a token with a `kid` is
//! checked against that key only (Convex Auth 2's EC keys and tokens carry one).

use crate::core::shared::json::Value;

use super::algorithm::{Algorithm, KeyKind};
#[cfg(feature = "es256")]
use super::ec::EcPublicKey;
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

/// A key's material, prepared for verification once per key set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An RSA key and its Montgomery constants.
    Rsa {
        /// The key.
        key: RsaPublicKey,
        /// The key parsed for verification.
        prepared: PreparedRsaKey,
    },
    /// A P-256 key, its point validated.
    #[cfg(feature = "es256")]
    EcP256(EcPublicKey),
}

/// One usable signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `alg`, if the key is restricted to one algorithm.
    pub alg: Option<String>,
    /// The key material.
    pub material: KeyMaterial,
}

impl Jwk {
    /// The RSA key, if this is one.
    pub fn rsa(&self) -> Option<&RsaPublicKey> {
        match &self.material {
            KeyMaterial::Rsa { key, .. } => Some(key),
            #[cfg(feature = "es256")]
            KeyMaterial::EcP256(_) => None,
        }
    }

    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        match &self.material {
            KeyMaterial::Rsa { .. } => KeyKind::Rsa,
            #[cfg(feature = "es256")]
            KeyMaterial::EcP256(_) => KeyKind::EcP256,
        }
    }

    /// True when `signature` is a valid `alg` signature of `message` under this key, with the
    /// pure-Rust checks. A key of the wrong kind for `alg` never verifies.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        match &self.material {
            KeyMaterial::Rsa { prepared, .. } => prepared.verify(alg, message, signature),
            #[cfg(feature = "es256")]
            KeyMaterial::EcP256(key) => alg == Algorithm::ES256 && key.verify(message, signature),
        }
    }
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
        #[cfg_attr(not(feature = "es256"), allow(unused_mut))]
        let mut bad_ec_key = None;
        for (index, entry) in entries.iter().enumerate() {
            match parse_key(entry, index)? {
                Parsed::Key(jwk) => keys.push(jwk),
                #[cfg(feature = "es256")]
                Parsed::BadEcKey => {
                    bad_ec_key.get_or_insert(index);
                }
                Parsed::Skipped => {}
            }
        }
        if keys.is_empty() {
            return Err(invalid(match bad_ec_key {
                Some(index) => JwksProblem::NoUsableKeyBadEcPoint { index },
                None => JwksProblem::NoUsableKey,
            }));
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

    /// The keys to try for a token signed with `alg`: the one named by `kid`, or every key
    /// fitting `alg` — its kind, and its own `alg` when it names one.
    pub fn candidates(&self, header: &Header, alg: Algorithm) -> Vec<&Jwk> {
        self.keys
            .iter()
            .filter(|k| k.kind() == alg.key_kind())
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

/// False for a signature no key of `alg` could accept, whoever checks it: for ES256, anything
/// but `r ‖ s` (32 bytes each) with `r` and `s` in 1..n. Asked before any native library is.
#[cfg_attr(not(feature = "es256"), allow(unused_variables))]
pub fn signature_well_formed(alg: Algorithm, signature: &[u8]) -> bool {
    match alg {
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => true,
        #[cfg(feature = "es256")]
        Algorithm::ES256 => super::ec::signature_in_range(signature),
    }
}

fn invalid(problem: JwksProblem) -> Error {
    problem.into()
}

/// What one entry of `keys` is to the verifier.
enum Parsed {
    /// A usable signing key.
    Key(Jwk),
    /// A P-256 key whose point is missing or invalid: skipped (other keys may serve), and
    /// named if none does.
    #[cfg(feature = "es256")]
    BadEcKey,
    /// Not a signing key of a supported type.
    Skipped,
}

fn parse_key(entry: &Value, index: usize) -> Result<Parsed> {
    let Value::Object(map) = entry else {
        return Err(invalid(JwksProblem::KeyNotObject(index)));
    };
    let text = |name: &str| map.get(name).and_then(Value::as_str);
    if text("use").is_some_and(|u| u != "sig") {
        return Ok(Parsed::Skipped); // An encryption key; other keys may still serve.
    }
    let field = |name: &'static str| -> Result<Vec<u8>> {
        let b64 =
            text(name).ok_or_else(|| invalid(JwksProblem::MissingField { index, field: name }))?;
        decode_base64url(b64).map_err(|_| invalid(JwksProblem::BadBase64 { index, field: name }))
    };
    let material = match text("kty") {
        Some("RSA") => rsa_material(field("n")?, field("e")?, index)?,
        #[cfg(feature = "es256")]
        Some("EC") if text("crv") == Some("P-256") => {
            let point = field("x").and_then(|x| Ok((x, field("y")?)));
            match point.ok().and_then(|(x, y)| EcPublicKey::new(&x, &y)) {
                Some(key) => KeyMaterial::EcP256(key),
                None => return Ok(Parsed::BadEcKey),
            }
        }
        _ => return Ok(Parsed::Skipped), // Not a key type we support; others may serve.
    };
    Ok(Parsed::Key(Jwk {
        kid: text("kid").map(str::to_owned),
        alg: text("alg").map(str::to_owned),
        material,
    }))
}

fn rsa_material(n: Vec<u8>, e: Vec<u8>, index: usize) -> Result<KeyMaterial> {
    let key = RsaPublicKey {
        n: strip_leading_zeros(n),
        e: strip_leading_zeros(e),
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
    Ok(KeyMaterial::Rsa {
        prepared: PreparedRsaKey::new(&key),
        key,
    })
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
        match &k.material {
            KeyMaterial::Rsa { key, .. } => {
                feed(b"RSA");
                feed(&key.n);
                feed(&key.e);
            }
            #[cfg(feature = "es256")]
            KeyMaterial::EcP256(key) => {
                feed(b"EC");
                feed(&key.x);
                feed(&key.y);
            }
        }
    }
    hash
}
