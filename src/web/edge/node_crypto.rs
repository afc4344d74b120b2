//! Signature checks with Node's own OpenSSL (`node:crypto`), reached through
//! `process.getBuiltinModule` — no import statement, so bundlers and edge runtimes never see it.
//! Synchronous and several times faster than WebCrypto's thread-pool hop: this is what
//! Next.js `proxy.ts` (always Node) and Node route handlers use.

use js_sys::{Function, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::platform_keys::PlatformKeys;
use super::signer::{SignatureCheck, rsa_jwk_object};
use crate::core::edge::jwks::Jwk;

/// `node:crypto` and the public keys created in it.
pub struct NodeCrypto {
    crypto: JsValue,
    verify: Function,
    create_public_key: Function,
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
        Some(NodeCrypto {
            verify: get(&crypto, "verify")?.dyn_into().ok()?,
            create_public_key: get(&crypto, "createPublicKey")?.dyn_into().ok()?,
            crypto,
            keys: PlatformKeys::default(),
        })
    }

    /// Verifies with key number `slot.1` of key set `slot.0`. `None` means Node could not
    /// answer (the caller falls back to the wasm check), never "invalid signature".
    pub fn verify(&self, check: &SignatureCheck<'_>) -> Option<bool> {
        let key = self.key(check.slot, check.jwk)?;
        let digest = format!("sha{}", check.alg.digest_bits());
        let args = js_sys::Array::of4(
            &JsValue::from_str(&digest),
            &Uint8Array::from(check.message),
            &key,
            &Uint8Array::from(check.signature),
        );
        let result = self.verify.apply(&self.crypto, &args).ok()?;
        result.as_bool()
    }

    fn key(&self, slot: (u64, usize), jwk: &Jwk) -> Option<JsValue> {
        if let Some(key) = self.keys.get(slot.0, &slot.1) {
            return Some(key);
        }
        let material = rsa_jwk_object(jwk);
        let options = Object::new();
        Reflect::set(&options, &"key".into(), &material).ok()?;
        Reflect::set(&options, &"format".into(), &"jwk".into()).ok()?;
        let key = self.create_public_key.call1(&self.crypto, &options).ok()?;
        self.keys.insert(slot.0, slot.1, key.clone());
        Some(key)
    }
}
