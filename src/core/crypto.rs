//! RSASSA-PKCS1-v1_5 signature checks (RS256/RS384/RS512) with per-key precomputation.
//!
//! Verification needs only the public key, so plain modular exponentiation (`num-bigint`) is safe:
//! nothing secret flows through it. The decoded block is compared against the one expected
//! encoding, built in full — nothing is parsed out of attacker-controlled bytes.

use num_bigint::BigUint;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::jwks::RsaPublicKey;

/// The signature algorithms this crate can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (what Convex Auth uses).
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
}

impl Algorithm {
    /// Parses a JOSE `alg` name; `None` for anything this crate cannot check.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Algorithm::RS256),
            "RS384" => Some(Algorithm::RS384),
            "RS512" => Some(Algorithm::RS512),
            _ => None,
        }
    }

    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
        }
    }

    /// DER DigestInfo prefix and the digest of `data` (RFC 8017 §9.2, note 1).
    fn digest_info(self, data: &[u8]) -> (&'static [u8], Vec<u8>) {
        match self {
            Algorithm::RS256 => (
                &[
                    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
                ],
                Sha256::digest(data).to_vec(),
            ),
            Algorithm::RS384 => (
                &[
                    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
                ],
                Sha384::digest(data).to_vec(),
            ),
            Algorithm::RS512 => (
                &[
                    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                    0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
                ],
                Sha512::digest(data).to_vec(),
            ),
        }
    }
}

/// An RSA public key ready for repeated verification (the modulus is parsed once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRsaKey {
    n: BigUint,
    e: BigUint,
    /// Modulus length in bytes.
    k: usize,
}

impl PreparedRsaKey {
    /// Prepares a key (sizes were validated by the JWKS parser).
    pub fn new(key: &RsaPublicKey) -> Self {
        PreparedRsaKey {
            n: BigUint::from_bytes_be(&key.n),
            e: BigUint::from_bytes_be(&key.e),
            k: key.n.len(),
        }
    }

    /// True when `signature` is a valid `alg` signature of `message` under this key.
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        if signature.len() != self.k {
            return false;
        }
        let s = BigUint::from_bytes_be(signature);
        if s >= self.n {
            return false;
        }
        let m = s.modpow(&self.e, &self.n).to_bytes_be();
        let (prefix, digest) = alg.digest_info(message);
        let t_len = prefix.len() + digest.len();
        // EM = 0x00 0x01 PS(0xff…, ≥ 8 bytes) 0x00 T; `m` has no leading zero byte, so compare
        // it to EM without its first byte.
        if self.k < t_len + 11 || m.len() != self.k - 1 {
            return false;
        }
        let ps_len = self.k - t_len - 3;
        let expected = std::iter::once(0x01)
            .chain(std::iter::repeat_n(0xff, ps_len))
            .chain(std::iter::once(0x00))
            .chain(prefix.iter().copied())
            .chain(digest);
        m.iter().copied().eq(expected)
    }
}
