//! The `convex-auth-wasm/client` module's wasm half: the session's platform (fetch, Web Locks,
//! timers, page events, the tab channel, storage), its exports, and the JS shape of its errors.

pub mod authed_fetch;
pub mod broadcast;
pub mod errors;
pub mod exports;
pub mod locks;
pub mod options;
pub mod page_events;
pub mod platform;
pub mod state;
pub mod storage;
pub mod stored;
