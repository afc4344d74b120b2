//! The `convex-auth-wasm/edge` module's wasm half: `EdgeVerifier`, its options, its key store
//! (inline or fetched), the signature checkers (node:crypto, WebCrypto, wasm), the frozen
//! results, and the JS shape of its errors.

pub mod errors;
pub mod exports;
pub mod key_store;
#[cfg(feature = "server")]
pub mod nextjs;
pub mod node_crypto;
pub mod options;
pub mod platform_keys;
pub mod signer;
#[cfg(feature = "server")]
pub mod ssr;
pub mod verified;
pub mod webcrypto;
