//! The only code that touches JavaScript (wasm32 only). Converts, calls the core, converts back.
//! Binds `globalThis`, never `window`, so the same code runs in pages, workers, Node and edge
//! runtimes.

pub mod interop;
pub mod shared;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "doctor")]
pub mod doctor;
#[cfg(feature = "edge")]
pub mod edge;
