//! The only code that touches JavaScript (wasm32 only). Converts, calls the core, converts back.
//! Binds `globalThis`, never `window`, so the same code runs in pages, workers, Node and edge
//! runtimes.

pub mod interop;

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
