//! The browser session's decisions: the state machine and its timing, the refresh plan, token
//! storage, the HTTP API and auth protocol, OAuth codes, the authed-fetch policy, and the flows
//! that tie them together over a [`Platform`](platform::Platform).

pub mod dialect;
pub mod error;
pub mod fetch_policy;
pub mod manager;
pub mod oauth;
pub mod platform;
pub mod protocol;
pub mod refresh;
pub mod session;
pub mod storage;
pub mod task;
pub mod timing;

pub use error::{CLIENT_ERROR_CODES, ClientError};
