//! The pure core: no JavaScript types, no OS clock, no I/O. Time is passed in as `now`, and the
//! world is reached only through small traits, so everything here runs and is tested natively.
//!
//! - [`shared`]: deployment URL rules, JWT decoding, the error type both products use.
//! - [`client`] (feature `client`): the browser session — state machine, refresh plan, storage,
//!   the HTTP API and auth protocol, OAuth codes, the authed-fetch policy.
//! - [`edge`] (feature `edge`): the verifier — policy, RSA, JWKS, remote-key schedule, cache,
//!   request helpers.

pub mod shared;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "doctor")]
pub mod doctor;
#[cfg(feature = "edge")]
pub mod edge;

pub use shared::error::{Error, ErrorKind, Result};
