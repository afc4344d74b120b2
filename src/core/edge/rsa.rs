//! RSASSA-PKCS1-v1_5 signature checks (RS256/RS384/RS512) with per-key precomputation.
//!
//! Verification needs only the public key, so variable-time arithmetic (a small Montgomery
//! exponentiation, constants computed once per key) is safe: nothing secret flows through it.
//! The decoded block is compared against the one expected encoding, built in full — nothing is
//! parsed out of attacker-controlled bytes.

use sha2::{Digest, Sha256, Sha384, Sha512};

use super::algorithm::Algorithm;
use super::jwks::RsaPublicKey;
use super::montgomery::Modulus;

/// DER DigestInfo prefix and the digest of `data` (RFC 8017 §9.2, note 1); `None` for an
/// algorithm that is not RSA.
fn digest_info(alg: Algorithm, data: &[u8]) -> Option<(&'static [u8], Vec<u8>)> {
    Some(match alg {
        Algorithm::RS256 => (
            &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Sha256::digest(data).to_vec(),
        ),
        Algorithm::RS384 => (
            &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Sha384::digest(data).to_vec(),
        ),
        Algorithm::RS512 => (
            &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
            Sha512::digest(data).to_vec(),
        ),
        #[cfg(feature = "es256")]
        Algorithm::ES256 => return None,
    })
}

/// An RSA public key ready for repeated verification (Montgomery constants computed once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRsaKey {
    /// `None` for an even modulus, which never verifies.
    modulus: Option<Modulus>,
    /// The public exponent, as a machine word (checked ≤ 64 bits by the JWKS parser).
    e: u64,
    /// Modulus length in bytes.
    k: usize,
}

impl PreparedRsaKey {
    /// Prepares a key (sizes were validated by the JWKS parser).
    pub fn new(key: &RsaPublicKey) -> Self {
        PreparedRsaKey {
            modulus: Modulus::from_be_bytes(&key.n),
            e: key.e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
            k: key.n.len(),
        }
    }

    /// True when `signature` is a valid `alg` signature of `message` under this key.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let Some(modulus) = &self.modulus else {
            return false;
        };
        if signature.len() != self.k {
            return false;
        }
        // EM = s^e mod n, as k bytes; a signature ≥ n is refused inside.
        let Some(em) = modulus.pow_be(signature, self.e, self.k) else {
            return false;
        };
        let Some((prefix, digest)) = digest_info(alg, message) else {
            return false;
        };
        let t_len = prefix.len() + digest.len();
        if self.k < t_len + 11 {
            return false;
        }
        // EM = 0x00 0x01 PS(0xff…, ≥ 8 bytes) 0x00 T
        let ps_len = self.k - t_len - 3;
        let expected = [0x00, 0x01]
            .into_iter()
            .chain(std::iter::repeat_n(0xff, ps_len))
            .chain(std::iter::once(0x00))
            .chain(prefix.iter().copied())
            .chain(digest);
        em.into_iter().eq(expected)
    }
}
