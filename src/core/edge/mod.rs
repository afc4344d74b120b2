//! The verifier's decisions: what a token must satisfy, RSA signature checks, key sets, when a
//! fetched key set is fresh, the verified-token cache, and where a request carries its token.

pub mod algorithm;
pub mod cache;
#[cfg(feature = "es256")]
pub mod ec;
pub mod error;
pub mod generation;
pub mod jwks;
pub mod key_schedule;
mod montgomery;
#[cfg(feature = "server")]
pub mod nextjs;
pub mod policy;
pub mod request;
pub mod rsa;
#[cfg(feature = "server")]
pub mod ssr;
pub mod verify;

pub use error::{EDGE_ERROR_CODES, EdgeError, JwksProblem};
