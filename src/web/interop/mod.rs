//! JS ↔ Rust plumbing shared by both modules: errors, values, fetch, timers.

pub mod errors;
pub mod fetch;
pub mod timers;
pub mod url;
pub mod values;
