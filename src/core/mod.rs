//! The pure core: no JavaScript types, no OS clock, no I/O. Time is passed in as `now`
//! (seconds since the epoch), so everything here runs and is tested natively.

pub mod deployment;
pub mod error;
pub mod storage;
pub mod token;

pub use error::{Error, ErrorKind, Result};
