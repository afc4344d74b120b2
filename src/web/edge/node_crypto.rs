//! Signature checks with Node's own OpenSSL (`node:crypto`), reached through
//! `process.getBuiltinModule` — no import statement, so bundlers and edge runtimes never see it.
//! Synchronous and several times faster than WebCrypto's thread-pool hop: this is what
//! Next.js `proxy.ts` (always Node) and Node route handlers use.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::platform_keys::PlatformKeys;
use super::signer::{SignatureCheck, public_jwk_object};
use crate::core::edge::algorithm::{Algorithm, KeyKind};
use crate::core::edge::jwks::Jwk;

#[wasm_bindgen]
extern "C" {
    /// The `node:crypto` module object.
    type CryptoModule;

    /// `crypto.verify(digest, data, key, signature)`. The byte slices reach Node as views of
    /// the wasm memory (no copy): the call is synchronous, so they cannot move under it.
    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &CryptoModule,
        digest: &JsValue,
        data: &[u8],
        key: &JsValue,
        signature: &[u8],
    ) -> Result<bool, JsValue>;

    /// `crypto.createPublicKey(options)`.
    #[wasm_bindgen(method, catch, js_name = createPublicKey)]
    fn create_public_key(this: &CryptoModule, options: &Object) -> Result<JsValue, JsValue>;
}

/// `node:crypto`, the digest names it is called with, and the public keys created in it.
pub struct NodeCrypto {
    crypto: CryptoModule,
    digests: [JsValue; 3],
    keys: PlatformKeys<usize>,
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

impl NodeCrypto {
    /// `process.getBuiltinModule("node:crypto")`, when running on Node ≥ 20.16.
    pub fn detect() -> Option<NodeCrypto> {
        let process = get(&js_sys::global(), "process")?;
        let get_builtin: Function = get(&process, "getBuiltinModule")?.dyn_into().ok()?;
        let crypto = get_builtin.call1(&process, &"node:crypto".into()).ok()?;
        for function in ["verify", "createPublicKey"] {
            get(&crypto, function)?.dyn_into::<Function>().ok()?;
        }
        Some(NodeCrypto {
            crypto: crypto.unchecked_into(),
            digests: ["sha256", "sha384", "sha512"].map(JsValue::from_str),
            keys: PlatformKeys::default(),
        })
    }

    /// Verifies with key number `slot.1` of key set `slot.0`. `None` means Node could not
    /// answer (the caller falls back to the wasm check), never "invalid signature".
    pub fn verify(&self, check: &SignatureCheck<'_>) -> Option<bool> {
        let key = self.key(check.slot, check.jwk)?;
        let digest = &self.digests[match check.alg {
            Algorithm::RS256 => 0,
            Algorithm::RS384 => 1,
            Algorithm::RS512 => 2,
            #[cfg(feature = "es256")]
            Algorithm::ES256 => 0,
        }];
        self.crypto
            .verify(digest, check.message, &key, check.signature)
            .ok()
    }

    fn key(&self, slot: (u64, usize), jwk: &Jwk) -> Option<JsValue> {
        if let Some(key) = self.keys.get(slot.0, &slot.1) {
            return Some(key);
        }
        let options = Object::new();
        Reflect::set(&options, &"key".into(), &public_jwk_object(jwk)).ok()?;
        Reflect::set(&options, &"format".into(), &"jwk".into()).ok()?;
        let key = self.crypto.create_public_key(&options).ok()?;
        let key = match jwk.kind() {
            KeyKind::Rsa => key,
            // JOSE's ECDSA signatures are raw r ‖ s (IEEE P1363), not OpenSSL's default DER.
            KeyKind::EcP256 => {
                let with_encoding = Object::new();
                Reflect::set(&with_encoding, &"key".into(), &key).ok()?;
                Reflect::set(&with_encoding, &"dsaEncoding".into(), &"ieee-p1363".into()).ok()?;
                with_encoding.into()
            }
        };
        self.keys.insert(slot.0, slot.1, key.clone());
        Some(key)
    }
}
