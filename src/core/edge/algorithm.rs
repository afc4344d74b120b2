//! The signature algorithms the verifier can check, and which kind of key each needs.

/// The signature algorithms this crate can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (Convex Auth 0.x).
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// ECDSA on P-256 with SHA-256 (Convex Auth 2).
    #[cfg(feature = "es256")]
    ES256,
}

/// The kind of key an algorithm verifies with: an RSA key never verifies an ES256 token, nor an
/// EC key an RS256 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `kty: "RSA"`.
    Rsa,
    /// `kty: "EC"`, `crv: "P-256"`.
    EcP256,
}

impl Algorithm {
    /// Parses a JOSE `alg` name; `None` for anything this crate cannot check.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Algorithm::RS256),
            "RS384" => Some(Algorithm::RS384),
            "RS512" => Some(Algorithm::RS512),
            #[cfg(feature = "es256")]
            "ES256" => Some(Algorithm::ES256),
            _ => None,
        }
    }

    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            #[cfg(feature = "es256")]
            Algorithm::ES256 => "ES256",
        }
    }

    /// The digest's size in bits (256, 384, 512): `sha256` in node:crypto, `SHA-256` in WebCrypto.
    pub fn digest_bits(self) -> u16 {
        match self {
            Algorithm::RS256 => 256,
            Algorithm::RS384 => 384,
            Algorithm::RS512 => 512,
            #[cfg(feature = "es256")]
            Algorithm::ES256 => 256,
        }
    }

    /// The kind of key that verifies this algorithm's signatures.
    pub fn key_kind(self) -> KeyKind {
        match self {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => KeyKind::Rsa,
            #[cfg(feature = "es256")]
            Algorithm::ES256 => KeyKind::EcP256,
        }
    }
}
