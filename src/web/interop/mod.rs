//! JS ↔ Rust plumbing shared by both modules: errors, values, promises, fetch, timers.

pub mod errors;
pub mod fetch;
pub mod promise;
pub mod random;
pub mod strings;
pub mod timers;
pub mod url;
pub mod values;
