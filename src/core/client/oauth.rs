//! OAuth and magic-link sign-in in the browser: the `?code=` a provider sends back is exchanged
//! (with the PKCE verifier kept at sign-in) for tokens.

pub use crate::core::shared::code::code_from_url;
