//! The `convex-auth-wasm/edge` module: `EdgeVerifier`, local verification of Convex Auth JWTs.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use super::interop::{
    now_seconds, option_value, optional_number, optional_string, optional_strings, throw, to_js,
    wrong_type,
};
use crate::core::cache::VerifiedCache;
use crate::core::crypto::Algorithm;
use crate::core::deployment::{BaseUrl, UrlRole, check_issuer};
use crate::core::jwks::KeySet;
use crate::core::request::token_from_request;
use crate::core::token::DecodedToken;
use crate::core::verify::{Policy, valid_until, verify};

#[wasm_bindgen(typescript_custom_section)]
const TS_EDGE: &str = r#"
/** Options of `createVerifier`. Every check is on by default. */
export interface VerifierOptions {
  /** The deployment's site URL, e.g. "https://happy-otter-123.convex.site" (never .convex.cloud). */
  siteUrl: string;
  /** The JWKS: Convex's `JWKS` environment variable, as a string or an object. */
  jwks: string | { keys: object[] };
  /** Expected `iss`; default `siteUrl`. */
  issuer?: string;
  /** Accepted `aud`; default "convex". */
  audience?: string | string[];
  /** Allowed algorithms; default ["RS256"]. Supported: RS256, RS384, RS512. */
  algorithms?: string[];
  /** Seconds of clock skew forgiven for exp/nbf/iat; default 5. */
  clockTolerance?: number;
  /** Maximum seconds since `iat`; default none. */
  maxTokenAge?: number;
  /** Verified-token cache entries; default 1000; 0 disables. */
  cacheSize?: number;
  /** Maximum token length in bytes, checked before parsing; default 8192. */
  maxTokenSize?: number;
}

/** A verified Convex Auth token. Frozen: it may be shared by later calls with the same token. */
export interface VerifiedToken {
  /** The `users` document id (before the "|" of `sub`). */
  userId: string;
  /** The `authSessions` document id (after the "|"), or null for other issuers. */
  sessionId: string | null;
  subject: string;
  issuer: string;
  audience: string | string[];
  /** Seconds since the epoch. */
  issuedAt: number | null;
  expiresAt: number;
  /** Every claim of the token. */
  claims: Readonly<Record<string, unknown>>;
}

/** Anything with `headers.get(name)` and `url`, e.g. a Web `Request` or `NextRequest`. */
export interface RequestLike {
  url: string;
  headers: { get(name: string): string | null };
}
"#;

/// Verifies Convex Auth JWTs locally against the deployment's JWKS.
///
/// ```js
/// import { createVerifier } from "convex-auth-wasm/edge";
/// const verifier = createVerifier({ siteUrl: process.env.CONVEX_SITE_URL, jwks: process.env.JWKS });
/// const { userId, sessionId } = await verifier.verify(token);
/// ```
#[wasm_bindgen]
pub struct EdgeVerifier {
    keys: KeySet,
    policy: Policy,
    cache: RefCell<VerifiedCache<JsValue>>,
}

/// Creates a verifier; throws `ERR_CONFIG_INVALID` or `ERR_JWKS_INVALID` on bad options.
#[wasm_bindgen(js_name = createVerifier)]
pub fn create_verifier(
    #[wasm_bindgen(unchecked_param_type = "VerifierOptions")] options: JsValue,
) -> Result<EdgeVerifier, JsValue> {
    EdgeVerifier::new(options)
}

#[wasm_bindgen]
impl EdgeVerifier {
    /// Same as `createVerifier(options)`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "VerifierOptions")] options: JsValue,
    ) -> Result<EdgeVerifier, JsValue> {
        let site_url = optional_string(&options, "siteUrl")?.unwrap_or_default();
        let site = throw(BaseUrl::parse(&site_url, "siteUrl", UrlRole::Site))?;
        let mut policy = Policy::new(site.as_str());
        if let Some(issuer) = optional_string(&options, "issuer")? {
            throw(check_issuer(&issuer))?;
            policy.issuer = issuer;
        }
        if let Some(audiences) = optional_strings(&options, "audience")? {
            policy.audiences = audiences;
        }
        if let Some(names) = optional_strings(&options, "algorithms")? {
            policy.algorithms = names
                .iter()
                .map(|n| Algorithm::from_name(n))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    wrong_type(
                        "algorithms",
                        &option_value(&options, "algorithms")
                            .ok()
                            .flatten()
                            .unwrap_or_default(),
                        "a non-empty list of RS256, RS384, RS512 (none and HS* are never accepted)",
                    )
                })?;
        }
        if let Some(t) = optional_number(
            &options,
            "clockTolerance",
            0.0..=600.0,
            "seconds from 0 to 600",
        )? {
            policy.clock_tolerance = t as i64;
        }
        policy.max_token_age = optional_number(
            &options,
            "maxTokenAge",
            1.0..=1e9,
            "a positive number of seconds",
        )?
        .map(|s| s as i64);
        if let Some(size) = optional_number(
            &options,
            "maxTokenSize",
            256.0..=1e6,
            "bytes from 256 to 1000000",
        )? {
            policy.max_token_bytes = size as usize;
        }
        let cache_size = optional_number(
            &options,
            "cacheSize",
            0.0..=1e6,
            "an integer from 0 to 1000000",
        )?
        .map_or(1000, |n| n as usize);
        let keys = throw(KeySet::parse(&jwks_text(&options)?))?;
        Ok(EdgeVerifier {
            keys,
            policy,
            cache: RefCell::new(VerifiedCache::new(cache_size)),
        })
    }

    /// Verifies `token` and resolves with its identity; rejects with a `ConvexAuthError`.
    #[wasm_bindgen(unchecked_return_type = "Promise<VerifiedToken>")]
    pub fn verify(&self, token: JsValue) -> Promise {
        match self.verify_value(&token) {
            Ok(value) => Promise::resolve(&value),
            Err(err) => Promise::reject(&err),
        }
    }

    /// Synchronous `verify`: returns the identity or throws.
    #[wasm_bindgen(js_name = verifySync, unchecked_return_type = "VerifiedToken")]
    pub fn verify_sync(&self, token: JsValue) -> Result<JsValue, JsValue> {
        self.verify_value(&token)
    }

    /// Verifies the token a request carries (`Authorization: Bearer …`, else the Convex Auth
    /// Next.js cookie). Resolves `null` when there is none; rejects when one is invalid.
    #[wasm_bindgen(js_name = verifyRequest, unchecked_return_type = "Promise<VerifiedToken | null>")]
    pub fn verify_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestLike")] request: JsValue,
    ) -> Promise {
        let result = self
            .token_from_request(request)
            .and_then(|token| match token {
                Some(token) => self.verify_value(&JsValue::from_str(&token)),
                None => Ok(JsValue::NULL),
            });
        match result {
            Ok(value) => Promise::resolve(&value),
            Err(err) => Promise::reject(&err),
        }
    }

    /// The token a request carries, or `null`.
    #[wasm_bindgen(js_name = tokenFromRequest)]
    pub fn token_from_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestLike")] request: JsValue,
    ) -> Result<Option<String>, JsValue> {
        let headers = Reflect::get(&request, &"headers".into())?;
        let get: Function = Reflect::get(&headers, &"get".into())?
            .dyn_into()
            .map_err(|v| wrong_type("request", &v, "a Request (headers.get is not a function)"))?;
        let header = |name: &str| get.call1(&headers, &name.into()).map(|v| v.as_string());
        let url = Reflect::get(&request, &"url".into())?
            .as_string()
            .unwrap_or_default();
        Ok(token_from_request(
            header("authorization")?.as_deref(),
            header("cookie")?.as_deref(),
            &url,
        ))
    }

    /// Number of tokens in the verified-token cache.
    #[wasm_bindgen(getter, js_name = cachedTokens)]
    pub fn cached_tokens(&self) -> usize {
        self.cache.borrow().len()
    }

    /// Forgets every verified token.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&self) {
        self.cache.borrow_mut().clear();
    }
}

impl EdgeVerifier {
    fn verify_value(&self, token: &JsValue) -> Result<JsValue, JsValue> {
        let token = token
            .as_string()
            .ok_or_else(|| wrong_type("token", token, "a string"))?;
        let now = now_seconds();
        let key_set = self.keys.id();
        if let Some(hit) = self.cache.borrow_mut().get(&token, key_set, now) {
            return Ok(hit.clone());
        }
        let decoded = throw(verify(&token, &self.keys, &self.policy, now))?;
        let value = deep_freeze(to_js(&VerifiedView::new(&decoded))?);
        let until = valid_until(&decoded, &self.policy);
        self.cache
            .borrow_mut()
            .insert(&token, value.clone(), key_set, until);
        Ok(value)
    }
}

fn jwks_text(options: &JsValue) -> Result<String, JsValue> {
    const EXPECTED: &str = "the JWKS as a string or object (Convex's JWKS environment variable)";
    let value = option_value(options, "jwks")?
        .ok_or_else(|| wrong_type("jwks", &JsValue::UNDEFINED, EXPECTED))?;
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_object() {
        return js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| wrong_type("jwks", &value, EXPECTED));
    }
    Err(wrong_type("jwks", &value, EXPECTED))
}

/// Freezes an object and everything reachable from it, so a cached result cannot be altered.
fn deep_freeze(value: JsValue) -> JsValue {
    if value.is_object() {
        let object: &Object = value.unchecked_ref();
        for entry in Object::values(object).iter() {
            deep_freeze(entry);
        }
        Object::freeze(object);
    }
    value
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedView<'a> {
    user_id: &'a str,
    session_id: Option<&'a str>,
    subject: &'a str,
    issuer: &'a str,
    audience: Option<&'a Value>,
    issued_at: Option<i64>,
    expires_at: Option<i64>,
    claims: &'a Map<String, Value>,
}

impl<'a> VerifiedView<'a> {
    fn new(token: &'a DecodedToken) -> Self {
        let subject = token.subject();
        VerifiedView {
            user_id: subject.as_ref().map_or("", |s| s.user_id),
            session_id: subject.as_ref().and_then(|s| s.session_id),
            subject: token.claims.sub.as_deref().unwrap_or_default(),
            issuer: token.claims.iss.as_deref().unwrap_or_default(),
            audience: token.claims.raw.get("aud"),
            issued_at: token.claims.iat,
            expires_at: token.claims.exp,
            claims: &token.claims.raw,
        }
    }
}
