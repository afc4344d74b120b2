//! ES256 signature checks: ECDSA on P-256 with SHA-256, by RustCrypto's `p256` (no curve
//! arithmetic here). The JWK's point is validated on the curve once per key set; a JOSE
//! signature is the raw `r ‖ s`, 32 bytes each (RFC 7518 §3.4) — DER, any other length, and
//! `r` or `s` zero or not below the group order are refused before any arithmetic.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

/// The length of a P-256 coordinate and of each half of a signature, in bytes.
pub const COORDINATE_BYTES: usize = 32;

/// A P-256 public key: its affine coordinates, validated as a point on the curve.
#[derive(Debug, Clone)]
pub struct EcPublicKey {
    /// `x` (32 bytes, big-endian).
    pub x: [u8; COORDINATE_BYTES],
    /// `y` (32 bytes, big-endian).
    pub y: [u8; COORDINATE_BYTES],
    verifying_key: VerifyingKey,
}

impl PartialEq for EcPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.x == other.x && self.y == other.y
    }
}
impl Eq for EcPublicKey {}

impl EcPublicKey {
    /// The key at (`x`, `y`); `None` unless both are 32 bytes and the point is on P-256 (and
    /// not the identity).
    pub fn new(x: &[u8], y: &[u8]) -> Option<Self> {
        let x: [u8; COORDINATE_BYTES] = x.try_into().ok()?;
        let y: [u8; COORDINATE_BYTES] = y.try_into().ok()?;
        // SEC1's uncompressed form, 0x04 ‖ x ‖ y; decoding checks the point is on the curve.
        let mut sec1 = [0x04; 1 + 2 * COORDINATE_BYTES];
        sec1[1..=COORDINATE_BYTES].copy_from_slice(&x);
        sec1[1 + COORDINATE_BYTES..].copy_from_slice(&y);
        let verifying_key = VerifyingKey::from_sec1_bytes(&sec1).ok()?;
        Some(EcPublicKey {
            x,
            y,
            verifying_key,
        })
    }

    /// True when `signature` (JOSE: `r ‖ s`) is a valid ES256 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        // The digest comes from the crate's own SHA-256 (the RSA path's), so the module carries
        // one SHA-256 implementation, not two.
        let digest = Sha256::digest(message);
        parse_signature(signature).is_some_and(|signature| {
            self.verifying_key
                .verify_prehash(&digest, &signature)
                .is_ok()
        })
    }
}

/// True when `signature` is `r ‖ s`, 32 bytes each, with `r` and `s` in 1..n: the shape every
/// valid ES256 signature has, checked before any implementation is asked.
pub fn signature_in_range(signature: &[u8]) -> bool {
    parse_signature(signature).is_some()
}

/// `from_slice` refuses `r` or `s` equal to zero or ≥ n (the "psychic signatures" bug); the
/// length check keeps DER and every other encoding out.
fn parse_signature(signature: &[u8]) -> Option<Signature> {
    if signature.len() != 2 * COORDINATE_BYTES {
        return None;
    }
    Signature::from_slice(signature).ok()
}
