//! What both products share: deployment URLs, JWT decoding, the error type.

pub mod auth_wire;
pub mod base64url;
pub mod code;
pub mod config_problem;
pub mod cookies;
pub mod deployment;
pub mod error;
pub mod json;
pub mod token;
pub mod web_url;
