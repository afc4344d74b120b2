//! The only code that touches JavaScript (wasm32 only). Converts, calls the core, converts back.
//! Binds `globalThis`, never `window`, so the same code runs in pages, workers, Node and edge
//! runtimes.

pub mod interop;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs once when a module is instantiated: keys the JSON reader's duplicate-key table with
/// fresh randomness (`core/shared/json/hash_keys.rs`), before any input is read.
#[wasm_bindgen(start)]
fn start() {
    let [key_0, key_1] = interop::random::random_keys();
    crate::core::shared::json::hash_keys::seed(key_0, key_1);
}

/// Talc instead of the default dlmalloc (the modules are single-threaded).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod shared;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "doctor")]
pub mod doctor;
#[cfg(feature = "edge")]
pub mod edge;
