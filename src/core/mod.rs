//! The pure core: no JavaScript types, no OS clock, no I/O. Time is passed in as `now`
//! (seconds since the epoch), so everything here runs and is tested natively.

#[cfg(feature = "edge")]
pub mod cache;
#[cfg(feature = "edge")]
pub mod crypto;
pub mod deployment;
pub mod error;
#[cfg(feature = "edge")]
pub mod jwks;
#[cfg(feature = "edge")]
pub mod key_source;
pub mod protocol;
#[cfg(feature = "edge")]
pub mod request;
pub mod session;
pub mod storage;
pub mod token;
#[cfg(feature = "edge")]
pub mod verify;

pub use error::{Error, ErrorKind, Result};
