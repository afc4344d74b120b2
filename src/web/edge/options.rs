//! `createVerifier` options → a validated configuration. Every mistake is `ERR_CONFIG_INVALID`
//! (or `ERR_JWKS_INVALID` for an inline key set) at construction, never at the first request.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::edge::algorithm::Algorithm;
use crate::core::edge::generation::{self, Generation};
use crate::core::edge::jwks::KeySet;
use crate::core::edge::key_schedule::DEFAULT_TIMEOUT_MS;
use crate::core::edge::policy::Policy;
use crate::core::shared::deployment::{BaseUrl, check_issuer, check_v2_issuer, parse_fetch_url};
use crate::web::interop::errors::{throw, wrong_type};
use crate::web::interop::values::{
    option_value, optional_number, optional_string, optional_strings,
};

/// Which implementation checks signatures (`verifySync()` uses wasm in place of WebCrypto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoChoice {
    /// WebCrypto where the runtime has it, else wasm.
    Auto,
    /// WebCrypto; construction fails where it is missing.
    WebCrypto,
    /// `node:crypto`; construction fails where it is missing.
    Node,
    /// The pure-Rust check compiled into the module.
    Wasm,
}

/// Where the keys come from.
pub enum JwksOption {
    /// The `jwks` option: no network at all.
    Inline(KeySet),
    /// The `jwksUrl` option, or `/.well-known/jwks.json` on the `siteUrl` (0.x) or `convexUrl` (2).
    Remote {
        /// The JWKS URL.
        url: String,
        /// Fetch timeout in milliseconds.
        timeout_ms: u32,
    },
}

/// A validated configuration.
pub struct VerifierConfig {
    /// The verification policy.
    pub policy: Policy,
    /// The key source.
    pub jwks: JwksOption,
    /// Verified-token cache entries.
    pub cache_size: usize,
    /// Signature implementation for `verify()`.
    pub crypto: CryptoChoice,
    /// Called with the error when a JWKS refresh fails while older keys keep serving.
    pub on_jwks_error: Option<Function>,
}

/// Parses and validates the options object.
pub fn parse(options: &JsValue) -> Result<VerifierConfig, JsValue> {
    let (generation, base) = deployment(options)?;
    Ok(VerifierConfig {
        policy: policy(options, generation, &base)?,
        jwks: jwks(options, generation, &base)?,
        cache_size: optional_number(
            options,
            "cacheSize",
            0.0..=1e6,
            "an integer from 0 to 1000000",
        )?
        .map_or(1000, |n| n as usize),
        crypto: crypto(options)?,
        on_jwks_error: match option_value(options, "onJwksError")? {
            None => None,
            Some(f) => Some(
                f.clone()
                    .dyn_into()
                    .map_err(|_| wrong_type("onJwksError", &f, "a function"))?,
            ),
        },
    })
}

/// The generation the options configure and its deployment URL: `siteUrl` (the `.convex.site`
/// URL) for Convex Auth 0.x, `convexUrl` (the `.convex.cloud` URL) for Convex Auth 2.
fn deployment(options: &JsValue) -> Result<(Generation, BaseUrl), JsValue> {
    let site_url = optional_string(options, "siteUrl")?;
    let convex_url = optional_string(options, "convexUrl")?;
    throw(generation::configured(
        site_url.as_deref(),
        convex_url.as_deref(),
    ))
}

fn policy(options: &JsValue, generation: Generation, base: &BaseUrl) -> Result<Policy, JsValue> {
    let mut policy = generation.policy(base.as_str());
    if let Some(issuer) = optional_string(options, "issuer")? {
        // A .convex.cloud issuer is 0.x's classic mistake, and (with its path) Convex Auth 2's
        // right answer.
        throw(match generation {
            Generation::V0 => check_issuer(&issuer),
            Generation::V2 => check_v2_issuer(&issuer),
        })?;
        policy.issuer = issuer;
    }
    if let Some(audiences) = optional_strings(options, "audience")? {
        policy.audiences = audiences;
    }
    if let Some(names) = optional_strings(options, "algorithms")? {
        let parsed: Option<Vec<Algorithm>> =
            names.iter().map(|n| Algorithm::from_name(n)).collect();
        policy.algorithms = parsed.ok_or_else(|| {
            let given = option_value(options, "algorithms")
                .ok()
                .flatten()
                .unwrap_or_default();
            wrong_type("algorithms", &given, SUPPORTED_ALGORITHMS)
        })?;
    }
    if let Some(t) = optional_number(
        options,
        "clockTolerance",
        0.0..=600.0,
        "seconds from 0 to 600",
    )? {
        policy.clock_tolerance = t as i64;
    }
    policy.max_token_age = optional_number(
        options,
        "maxTokenAge",
        1.0..=1e9,
        "a positive number of seconds",
    )?
    .map(|s| s as i64);
    if let Some(size) = optional_number(
        options,
        "maxTokenSize",
        256.0..=1e6,
        "bytes from 256 to 1000000",
    )? {
        policy.max_token_bytes = size as usize;
    }
    Ok(policy)
}

#[cfg(feature = "es256")]
const SUPPORTED_ALGORITHMS: &str =
    "a non-empty list of RS256, RS384, RS512, ES256 (none and HS* are never accepted)";
#[cfg(not(feature = "es256"))]
const SUPPORTED_ALGORITHMS: &str =
    "a non-empty list of RS256, RS384, RS512 (none and HS* are never accepted)";

fn jwks(options: &JsValue, generation: Generation, base: &BaseUrl) -> Result<JwksOption, JsValue> {
    const EXPECTED: &str = "the JWKS as a string or object (Convex's JWKS environment variable)";
    let inline = option_value(options, "jwks")?;
    let url = optional_string(options, "jwksUrl")?;
    let timeout_ms = optional_number(
        options,
        "jwksTimeout",
        100.0..=60_000.0,
        "milliseconds from 100 to 60000",
    )?
    .map_or(DEFAULT_TIMEOUT_MS, |t| t as u32);
    match (inline, url) {
        (Some(value), Some(_)) => Err(wrong_type(
            "jwks",
            &value,
            "absent when jwksUrl is given (pass one of them)",
        )),
        (Some(value), None) => {
            let text = match value.as_string() {
                Some(text) => text,
                None if value.is_object() => js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|s| s.as_string())
                    .ok_or_else(|| wrong_type("jwks", &value, EXPECTED))?,
                None => return Err(wrong_type("jwks", &value, EXPECTED)),
            };
            Ok(JwksOption::Inline(throw(KeySet::parse(&text))?))
        }
        (None, url) => {
            let url = url.unwrap_or_else(|| generation.jwks_url(base.as_str()));
            let url = throw(parse_fetch_url(&url, "jwksUrl", generation.url_role()))?;
            Ok(JwksOption::Remote {
                url: url.as_str().to_owned(),
                timeout_ms,
            })
        }
    }
}

fn crypto(options: &JsValue) -> Result<CryptoChoice, JsValue> {
    match optional_string(options, "crypto")?.as_deref() {
        None | Some("auto") => Ok(CryptoChoice::Auto),
        Some("webcrypto") => Ok(CryptoChoice::WebCrypto),
        Some("wasm") => Ok(CryptoChoice::Wasm),
        Some("node") => Ok(CryptoChoice::Node),
        Some(other) => Err(wrong_type(
            "crypto",
            &JsValue::from_str(other),
            "\"auto\", \"node\", \"webcrypto\" or \"wasm\"",
        )),
    }
}
