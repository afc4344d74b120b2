//! Which implementation checks signatures: Node's OpenSSL (synchronous, fastest), WebCrypto
//! (asynchronous; browsers and edge runtimes), or the wasm code (anywhere). When the chosen
//! native one cannot answer for a key, the wasm check decides.

use wasm_bindgen::prelude::*;

use super::node_crypto::NodeCrypto;
use super::options::CryptoChoice;
use super::webcrypto::Subtle;
use crate::core::edge::algorithm::Algorithm;
use crate::core::edge::jwks::{Jwk, KeyMaterial, signature_well_formed};
use crate::core::shared::token::encode_base64url;
use crate::web::interop::errors::wrong_type;

/// The signature implementation of one verifier.
pub enum Signer {
    /// `node:crypto` via `process.getBuiltinModule`.
    Node(NodeCrypto),
    /// `crypto.subtle`.
    Subtle(Subtle),
    /// The pure-Rust check.
    Wasm,
}

/// One signature to check: which key (set id, index), the key, the algorithm and the bytes.
pub struct SignatureCheck<'a> {
    /// (key-set id, index of the key in the set): identifies the imported native key.
    pub slot: (u64, usize),
    /// The key.
    pub jwk: &'a Jwk,
    /// The algorithm.
    pub alg: Algorithm,
    /// The signed bytes.
    pub message: &'a [u8],
    /// The signature.
    pub signature: &'a [u8],
}

impl SignatureCheck<'_> {
    fn by_wasm(&self) -> bool {
        self.jwk.verify(self.alg, self.message, self.signature)
    }

    /// False when no implementation may be asked: a key of the wrong kind for the algorithm,
    /// or an ES256 signature that is not `r ‖ s` with both in range (zero `r` or `s` is refused
    /// here, whatever the native library would say).
    fn may_verify(&self) -> bool {
        self.jwk.kind() == self.alg.key_kind() && signature_well_formed(self.alg, self.signature)
    }
}

/// A public JWK object (`{kty, n, e}` or `{kty, crv, x, y}`) for `importKey` / `createPublicKey`.
pub fn public_jwk_object(jwk: &Jwk) -> js_sys::Object {
    let material = js_sys::Object::new();
    let members: Vec<(&str, String)> = match &jwk.material {
        KeyMaterial::Rsa { key, .. } => vec![
            ("kty", "RSA".to_owned()),
            ("n", encode_base64url(&key.n)),
            ("e", encode_base64url(&key.e)),
        ],
        #[cfg(feature = "es256")]
        KeyMaterial::EcP256(key) => vec![
            ("kty", "EC".to_owned()),
            ("crv", "P-256".to_owned()),
            ("x", encode_base64url(&key.x)),
            ("y", encode_base64url(&key.y)),
        ],
    };
    for (name, value) in members {
        let _ = js_sys::Reflect::set(&material, &name.into(), &value.into());
    }
    material
}

impl Signer {
    /// Picks the implementation for a `crypto` option; a native one that is absent is an error.
    pub fn choose(choice: CryptoChoice) -> Result<Signer, JsValue> {
        let missing = |value: &str, what: &'static str| wrong_type("crypto", &value.into(), what);
        Ok(match choice {
            CryptoChoice::Wasm => Signer::Wasm,
            CryptoChoice::Node => Signer::Node(NodeCrypto::detect().ok_or_else(|| {
                missing("node", "\"auto\" here: this runtime has no node:crypto")
            })?),
            CryptoChoice::WebCrypto => Signer::Subtle(Subtle::detect().ok_or_else(|| {
                missing(
                    "webcrypto",
                    "\"auto\" here: this runtime has no crypto.subtle",
                )
            })?),
            CryptoChoice::Auto => NodeCrypto::detect()
                .map(Signer::Node)
                .or_else(|| Subtle::detect().map(Signer::Subtle))
                .unwrap_or(Signer::Wasm),
        })
    }

    /// The implementation's name, as `crypto` options spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Signer::Node(_) => "node",
            Signer::Subtle(_) => "webcrypto",
            Signer::Wasm => "wasm",
        }
    }

    /// True when checks need `await` (WebCrypto).
    pub fn is_async(&self) -> bool {
        matches!(self, Signer::Subtle(_))
    }

    /// A synchronous check (WebCrypto verifiers use wasm here).
    pub fn verify_sync(&self, check: &SignatureCheck<'_>) -> bool {
        if !check.may_verify() {
            return false;
        }
        match self {
            Signer::Node(node) => node.verify(check).unwrap_or_else(|| check.by_wasm()),
            Signer::Subtle(_) | Signer::Wasm => check.by_wasm(),
        }
    }

    /// A check that may await WebCrypto.
    pub async fn verify(&self, check: &SignatureCheck<'_>) -> bool {
        if !check.may_verify() {
            return false;
        }
        match self {
            Signer::Subtle(subtle) => subtle
                .verify(check)
                .await
                .unwrap_or_else(|_| check.by_wasm()),
            _ => self.verify_sync(check),
        }
    }
}
