//! The only code that touches JavaScript (wasm32 only). Converts, calls the core, converts back.
//! Binds `globalThis`, never `window`, so the same code runs in pages, workers, Node and edge
//! runtimes.

pub mod interop;
pub mod shared;

#[cfg(feature = "client")]
pub mod broadcast;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "edge")]
pub mod edge;
pub mod fetch;
#[cfg(feature = "edge")]
pub mod key_store;
#[cfg(feature = "client")]
pub mod locks;
#[cfg(feature = "edge")]
pub mod node_crypto;
#[cfg(feature = "client")]
pub mod page_events;
#[cfg(feature = "client")]
pub mod session_manager;
#[cfg(feature = "edge")]
pub mod signer;
#[cfg(feature = "client")]
pub mod storage;
#[cfg(feature = "edge")]
pub mod subtle;
#[cfg(feature = "client")]
pub mod timer;
#[cfg(feature = "edge")]
pub mod verified;
#[cfg(feature = "edge")]
pub mod verifier_options;
