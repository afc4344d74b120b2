//! Signature checks with WebCrypto (`crypto.subtle`), where the runtime has it: native RSA in
//! Node, browsers and edge runtimes. Each JWK is imported once per algorithm and kept.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::platform_keys::PlatformKeys;
use super::signer::{SignatureCheck, public_jwk_object};
use crate::core::edge::algorithm::{Algorithm, KeyKind};
use crate::core::edge::jwks::Jwk;

const RSA_PKCS1: &str = "RSASSA-PKCS1-v1_5";

/// WebCrypto's algorithm object for `alg`: for `importKey` (`for_import`) or for `verify`.
/// ECDSA signatures are raw `r ‖ s` in WebCrypto, as in JOSE. The hash is named by a string
/// (WebCrypto normalizes it with one step less than an object), and RSA's `verify` takes the
/// name alone (its hash is the key's).
fn algorithm(alg: Algorithm, for_import: bool) -> Object {
    let hash = JsValue::from_str(&format!("SHA-{}", alg.digest_bits()));
    let algorithm = Object::new();
    match alg.key_kind() {
        KeyKind::Rsa => {
            set(&algorithm, "name", &RSA_PKCS1.into());
            if for_import {
                set(&algorithm, "hash", &hash);
            }
        }
        KeyKind::EcP256 if for_import => {
            set(&algorithm, "name", &"ECDSA".into());
            set(&algorithm, "namedCurve", &"P-256".into());
        }
        KeyKind::EcP256 => {
            set(&algorithm, "name", &"ECDSA".into());
            set(&algorithm, "hash", &hash);
        }
    }
    algorithm
}

#[wasm_bindgen(inline_js = r#"
export const subtleVerify = (subtle, algorithm, key, signature, message) =>
  subtle.verify(algorithm, key, signature, message);
"#)]
extern "C" {
    /// `subtle.verify(algorithm, key, signature, message)`: one call, no argument array.
    #[wasm_bindgen(js_name = subtleVerify, catch)]
    fn subtle_verify(
        subtle: &JsValue,
        algorithm: &JsValue,
        key: &JsValue,
        signature: &Uint8Array,
        message: &Uint8Array,
    ) -> Result<Promise, JsValue>;
}

/// `crypto.subtle` and the keys imported into it.
pub struct Subtle {
    subtle: JsValue,
    import_key: Function,
    imported: PlatformKeys<(usize, Algorithm)>,
    /// The `verify` algorithm objects, made once per algorithm rather than once per token.
    verify_algorithms: RefCell<Vec<(Algorithm, Object)>>,
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

impl Subtle {
    /// `globalThis.crypto.subtle`, if present.
    pub fn detect() -> Option<Subtle> {
        let subtle = get(&get(&js_sys::global(), "crypto")?, "subtle")?;
        Some(Subtle {
            import_key: get(&subtle, "importKey")?.dyn_into().ok()?,
            subtle,
            imported: PlatformKeys::default(),
            verify_algorithms: RefCell::default(),
        })
    }

    /// Verifies with key number `index` of key set `set_id`. `Err` means WebCrypto could not
    /// answer (the caller falls back to the pure-Rust check), never "invalid signature".
    pub async fn verify(&self, check: &SignatureCheck<'_>) -> Result<bool, JsValue> {
        let key = self.key(check.slot, check.jwk, check.alg).await?;
        // Copies of the bytes: the promise outlives this call's view of the module's memory.
        let promise = subtle_verify(
            &self.subtle,
            &self.verify_algorithm(check.alg),
            &key,
            &Uint8Array::from(check.signature),
            &Uint8Array::from(check.message),
        )?;
        Ok(JsFuture::from(promise).await?.is_truthy())
    }

    fn verify_algorithm(&self, alg: Algorithm) -> Object {
        let mut made = self.verify_algorithms.borrow_mut();
        if let Some((_, object)) = made.iter().find(|(a, _)| *a == alg) {
            return object.clone();
        }
        let object = algorithm(alg, false);
        made.push((alg, object.clone()));
        object
    }

    async fn key(&self, slot: (u64, usize), jwk: &Jwk, alg: Algorithm) -> Result<JsValue, JsValue> {
        if let Some(key) = self.imported.get(slot.0, &(slot.1, alg)) {
            return Ok(key);
        }
        let args = Array::of5(
            &"jwk".into(),
            &public_jwk_object(jwk),
            &algorithm(alg, true),
            &JsValue::FALSE,
            &Array::of1(&"verify".into()),
        );
        let promise: Promise = self.import_key.apply(&self.subtle, &args)?.dyn_into()?;
        let key = JsFuture::from(promise).await?;
        self.imported.insert(slot.0, (slot.1, alg), key.clone());
        Ok(key)
    }
}
