//! # convex-auth-wasm
//!
//! Convex Auth for Next.js, compiled to WebAssembly. One crate, two wasm modules:
//!
//! - `convex-auth-wasm/client` (feature `client`): the browser session manager — token storage
//!   compatible with the official React client, refresh scheduling, and an authed `fetch` that only
//!   ever sends the token to the deployment's `.convex.site` origin.
//! - `convex-auth-wasm/edge` (feature `edge`): local verification of Convex Auth JWTs for Next.js
//!   `proxy.ts`/`middleware.ts`, route handlers, Node and edge runtimes.
//!
//! [`core`] is pure Rust and holds all the logic; `web` (wasm32 only) converts to and from JS.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;
