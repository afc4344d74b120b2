//! Randomness from the runtime: `crypto.getRandomValues`, present in browsers, workers, Node,
//! Deno, Bun and workerd alike.

use js_sys::{Function, Uint8Array};
use wasm_bindgen::JsCast;

use super::values::{get, global};

/// Two random 64-bit words (`Math.random` only where `crypto.getRandomValues` is missing).
pub fn random_keys() -> [u64; 2] {
    let view = Uint8Array::new_with_length(16);
    let filled = global("crypto").and_then(|crypto| {
        let fill: Function = get(&crypto, "getRandomValues")?.dyn_into().ok()?;
        fill.call1(&crypto, &view).ok()
    });
    let mut bytes = [0_u8; 16];
    if filled.is_some() {
        view.copy_to(&mut bytes);
    } else {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    let word = |bytes: &[u8]| bytes.iter().fold(0_u64, |w, &b| (w << 8) | u64::from(b));
    [word(&bytes[..8]), word(&bytes[8..])]
}
