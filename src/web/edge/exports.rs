//! The `convex-auth-wasm/edge` module: `EdgeVerifier`, local verification of Convex Auth JWTs.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::key_store::KeyStore;
use super::options::{self, JwksOption};
use super::signer::{SignatureCheck, Signer};
use super::verified::verified_object;
use crate::core::edge::EdgeError;
use crate::core::edge::cache::VerifiedCache;
use crate::core::edge::generation::Generation;
use crate::core::edge::generation::SubjectNames;
use crate::core::edge::jwks::KeySet;
use crate::core::edge::policy::{Policy, valid_until};
use crate::core::edge::request::token_from_request_for;
use crate::core::edge::verify::{Unverified, finish, prepare};
use crate::core::shared::cookies::request_host;
use crate::core::shared::error::Error;
use crate::core::shared::token::DecodedToken;
use crate::web::interop::errors::{throw, to_js_error, wrong_type};
use crate::web::interop::promise::promise;
use crate::web::interop::strings::string_from_js;
use crate::web::interop::values::now_seconds;

#[wasm_bindgen(typescript_custom_section)]
const TS_EDGE: &str = r#"
/**
 * Options of `createVerifier`. Every check is on by default. The deployment URL chooses the
 * Convex Auth generation: `siteUrl` for 0.x tokens (RS256, issuer = the site URL, audience
 * "convex"), `convexUrl` for Convex Auth 2 tokens (ES256, issuer `${convexUrl}/components/auth`,
 * audience "convex-auth", JWKS on the cloud URL). One of them, never both.
 */
export type VerifierOptions =
  | (VerifierSettings & { siteUrl: string; convexUrl?: never })
  | (VerifierSettings & { convexUrl: string; siteUrl?: never });

/** The options `createVerifier` takes besides the deployment URL. */
export interface VerifierSettings {
  /** The JWKS inline — Convex's `JWKS` environment variable, as a string or an object: no network. */
  jwks?: string | { keys: object[] };
  /** Where to fetch the JWKS when `jwks` is not given; default `/.well-known/jwks.json` on
   *  `siteUrl` (0.x) or `convexUrl` (Convex Auth 2). */
  jwksUrl?: string;
  /** JWKS fetch timeout in milliseconds; default 5000. */
  jwksTimeout?: number;
  /** Called when a JWKS refresh fails while the previous keys keep serving. */
  onJwksError?: (error: ConvexAuthError) => void;
  /**
   * Who checks RSA signatures. "auto" (default): node:crypto on Node (synchronous OpenSSL, via
   * process.getBuiltinModule), else WebCrypto (browsers, edge runtimes), else the wasm code.
   * `verifySync` uses the wasm code in place of WebCrypto.
   */
  crypto?: "auto" | "node" | "webcrypto" | "wasm";
  /** Expected `iss`; default `siteUrl` (0.x) or `${convexUrl}/components/auth` (Convex Auth 2). */
  issuer?: string;
  /** Accepted `aud`; default "convex" (0.x) or "convex-auth" (Convex Auth 2). */
  audience?: string | string[];
  /** Allowed algorithms; default ["RS256"] (0.x) or ["ES256"] (Convex Auth 2). Supported:
   *  RS256, RS384, RS512, ES256. A token of the other generation is refused with
   *  ERR_JWT_GENERATION_MISMATCH (naming the option to use) unless its algorithm is allowed here. */
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
  /** 0.x: the `users` document id (before the "|" of `sub`). Convex Auth 2: always null — its
   *  tokens carry the session id alone; read the user from the session on the deployment. */
  userId: string | null;
  /** 0.x: the `authSessions` document id (after the "|"), or null for other issuers. Convex
   *  Auth 2: the session id (`sub`). */
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

/** Where the verifier's keys come from and how fresh they are. */
export interface JwksStatus {
  source: "inline" | "remote";
  url: string | null;
  keyCount: number;
  /** Seconds since the epoch. */
  fetchedAt: number | null;
  freshUntil: number | null;
  /** The last refresh failure (cleared by the next success). */
  lastError: ConvexAuthError | null;
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
    inner: Rc<Inner>,
}

struct Inner {
    policy: Policy,
    keys: KeyStore,
    cache: RefCell<VerifiedCache<JsValue>>,
    signer: Signer,
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
        let config = options::parse(&options)?;
        let signer = Signer::choose(config.crypto)?;
        let keys = match config.jwks {
            JwksOption::Inline(keys) => KeyStore::Inline(Rc::new(keys)),
            JwksOption::Remote { url, timeout_ms } => {
                KeyStore::remote(url, timeout_ms, config.on_jwks_error)
            }
        };
        Ok(EdgeVerifier {
            inner: Rc::new(Inner {
                policy: config.policy,
                keys,
                cache: RefCell::new(VerifiedCache::new(config.cache_size)),
                signer,
            }),
        })
    }

    /// Verifies `token` and resolves with its identity; rejects with a `ConvexAuthError`.
    /// A token verified before (and still valid) resolves from the cache without any crypto.
    #[wasm_bindgen(unchecked_return_type = "Promise<VerifiedToken>")]
    pub fn verify(&self, token: JsValue) -> Promise {
        match string_from_js(&token) {
            Some(token) => self.inner.verify(token),
            None => Promise::reject(&wrong_type("token", &token, "a string")),
        }
    }

    /// Synchronous `verify` with the wasm signature check: returns the identity or throws. With
    /// a fetched JWKS, the keys must have been loaded (`await verifier.ready()`).
    #[wasm_bindgen(js_name = verifySync, unchecked_return_type = "VerifiedToken")]
    pub fn verify_sync(&self, token: JsValue) -> Result<JsValue, JsValue> {
        let token =
            string_from_js(&token).ok_or_else(|| wrong_type("token", &token, "a string"))?;
        let now = now_seconds();
        let keys = throw(self.inner.keys.for_verify_sync(now))?;
        if let Some(hit) = self.inner.cached(&token, &keys, now) {
            return Ok(hit);
        }
        match self.inner.check_sync(&token, &keys, now) {
            Ok(decoded) => self.inner.remember(&token, &decoded, &keys),
            Err(err) => {
                if is_key_miss(&err) {
                    self.inner.keys.refetch_in_background(now);
                }
                Err(to_js_error(&err))
            }
        }
    }

    /// Verifies the token a request carries (`Authorization: Bearer …`, else the Convex Auth
    /// Next.js cookie). Resolves `null` when there is none; rejects when one is invalid.
    #[wasm_bindgen(js_name = verifyRequest, unchecked_return_type = "Promise<VerifiedToken | null>")]
    pub fn verify_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestLike")] request: JsValue,
    ) -> Promise {
        match self.token_from_request(request) {
            Ok(Some(token)) => self.inner.verify(token),
            Ok(None) => Promise::resolve(&JsValue::NULL),
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
        let header = |name: &str| {
            get.call1(&headers, &name.into())
                .map(|v| string_from_js(&v))
        };
        let url = string_from_js(&Reflect::get(&request, &"url".into())?).unwrap_or_default();
        let host = request_host(header("host")?.as_deref(), &url);
        let generation = self.inner.policy.generation.unwrap_or(Generation::V0);
        Ok(token_from_request_for(
            generation,
            header("authorization")?.as_deref(),
            header("cookie")?.as_deref(),
            &host,
        ))
    }

    /// Resolves once keys are available (fetching them if needed); rejects with
    /// `ERR_JWKS_FETCH_FAILED` when they cannot be had. Optional: `verify` fetches on demand.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn ready(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner
                .keys
                .for_verify(now_seconds())
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(|e| to_js_error(&e))
        })
    }

    /// Where the keys come from, when they were fetched, and the last refresh failure.
    #[wasm_bindgen(getter, js_name = jwksStatus, unchecked_return_type = "JwksStatus")]
    pub fn jwks_status(&self) -> Result<JsValue, JsValue> {
        let key_count = self
            .inner
            .keys
            .current(now_seconds())
            .map_or(0, |k| k.keys().len());
        let status = Object::new();
        let set = |k: &str, v: JsValue| Reflect::set(&status, &k.into(), &v).map(|_| ());
        let num = |n: Option<i64>| n.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
        set("keyCount", JsValue::from(key_count as f64))?;
        match self.inner.keys.remote_status() {
            None => {
                set("source", "inline".into())?;
                for k in ["url", "fetchedAt", "freshUntil", "lastError"] {
                    set(k, JsValue::NULL)?;
                }
            }
            Some(remote) => {
                set("source", "remote".into())?;
                set("url", remote.url.into())?;
                set("fetchedAt", num(remote.fetched_at))?;
                set("freshUntil", num(remote.fresh_until))?;
                let last_error = remote.last_error.map_or(JsValue::NULL, |e| to_js_error(&e));
                set("lastError", last_error)?;
            }
        }
        Ok(status.into())
    }

    /// Who checks signatures: "node", "webcrypto" or "wasm".
    #[wasm_bindgen(getter, unchecked_return_type = "\"node\" | \"webcrypto\" | \"wasm\"")]
    pub fn crypto(&self) -> String {
        self.inner.signer.name().to_owned()
    }

    /// Number of tokens in the verified-token cache.
    #[wasm_bindgen(getter, js_name = cachedTokens)]
    pub fn cached_tokens(&self) -> usize {
        self.inner.cache.borrow().len()
    }

    /// Forgets every verified token.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&self) {
        self.inner.cache.borrow_mut().clear();
    }

    /// The verified-token cache's size (the `cacheSize` option).
    #[wasm_bindgen(getter, js_name = cacheCapacity)]
    pub fn cache_capacity(&self) -> usize {
        self.inner.cache.borrow().capacity()
    }

    /// For the JS layer's copy of cache hits: the cache's generation while its key set is the
    /// current one, else -1 (a copy taken at another generation is stale). Stale keys start a
    /// refresh here as on every verify.
    #[wasm_bindgen(js_name = cacheEpoch)]
    pub fn cache_epoch(&self) -> f64 {
        match self.inner.keys.usable_now(now_seconds()) {
            Some(keys) => {
                let mut cache = self.inner.cache.borrow_mut();
                cache.follow_key_set(keys.id());
                cache.generation() as f64
            }
            None => -1.0,
        }
    }
}

impl Inner {
    /// The promise of `verify`. A cache hit resolves at once; with a synchronous signer and keys
    /// at hand the whole check runs now; otherwise the keys are awaited and WebCrypto used. A key
    /// that is not found triggers one refetch of a fetched JWKS (under its cooldown).
    fn verify(self: &Rc<Self>, token: String) -> Promise {
        let now = now_seconds();
        // Stale keys start a refresh even on a hit: a hit never outlives a key-set change.
        if let Some(keys) = self.keys.usable_now(now)
            && let Some(hit) = self.cached(&token, &keys, now)
        {
            return Promise::resolve(&hit);
        }
        if !self.signer.is_async()
            && let Some(keys) = self.keys.usable_now(now)
        {
            match self.check_sync(&token, &keys, now) {
                Ok(decoded) => return settle(self.remember(&token, &decoded, &keys)),
                Err(err) if !(is_key_miss(&err) && self.keys.is_remote()) => {
                    return Promise::reject(&to_js_error(&err));
                }
                Err(_) => {} // a fetched key set may have changed: the async path refetches
            }
        }
        let inner = self.clone();
        promise(async move {
            let js = |e: Error| to_js_error(&e);
            let keys = inner.keys.for_verify(now_seconds()).await.map_err(js)?;
            match inner.check(&token, &keys).await {
                Ok(decoded) => inner.remember(&token, &decoded, &keys),
                Err(err)
                    if is_key_miss(&err)
                        && inner.keys.refetch_for_missing_key(now_seconds()).await =>
                {
                    let keys = inner.keys.current_or_error(now_seconds()).map_err(js)?;
                    let decoded = inner.check(&token, &keys).await.map_err(js)?;
                    inner.remember(&token, &decoded, &keys)
                }
                Err(err) => Err(js(err)),
            }
        })
    }

    /// Full verification with a synchronous signature check.
    fn check_sync(&self, token: &str, keys: &KeySet, now: i64) -> Result<DecodedToken, Error> {
        let unverified = prepare(token, keys, &self.policy)?;
        let ok = signature_checks(token, keys, &unverified).any(|c| self.signer.verify_sync(&c));
        finish(unverified, ok, &self.policy, now)
    }

    /// Full verification, awaiting WebCrypto where that is the signer. The clock is read after
    /// the signature is checked, so time spent waiting never lets an expired token through.
    async fn check(&self, token: &str, keys: &KeySet) -> Result<DecodedToken, Error> {
        let unverified = prepare(token, keys, &self.policy)?;
        let mut ok = false;
        for check in signature_checks(token, keys, &unverified) {
            if self.signer.verify(&check).await {
                ok = true;
                break;
            }
        }
        finish(unverified, ok, &self.policy, now_seconds())
    }

    fn cached(&self, token: &str, keys: &KeySet, now: i64) -> Option<JsValue> {
        self.cache.borrow_mut().get(token, keys.id(), now).cloned()
    }

    /// Builds the frozen result and caches it; the result carries the entry's terms (valid
    /// until, generation) for the JS layer's copy, so it needs no second look-up by token.
    fn remember(
        &self,
        token: &str,
        decoded: &DecodedToken,
        keys: &KeySet,
    ) -> Result<JsValue, JsValue> {
        let until = valid_until(decoded, &self.policy);
        let generation = self.cache.borrow_mut().generation_for_insert(keys.id());
        let subject = SubjectNames::of(self.policy.generation);
        let value = verified_object(decoded, subject, generation.map(|g| (until, g)))?;
        self.cache
            .borrow_mut()
            .insert(token, value.clone(), keys.id(), until);
        Ok(value)
    }
}

/// The signature checks for each candidate key of `unverified`.
fn signature_checks<'a>(
    token: &'a str,
    keys: &'a KeySet,
    unverified: &'a Unverified<'a>,
) -> impl Iterator<Item = SignatureCheck<'a>> + 'a {
    unverified.candidates.iter().map(move |jwk| SignatureCheck {
        slot: (
            keys.id(),
            keys.keys()
                .iter()
                .position(|k| std::ptr::eq(k, *jwk))
                .unwrap_or(usize::MAX),
        ),
        jwk,
        alg: unverified.alg,
        message: unverified.message(token),
        signature: &unverified.token.signature,
    })
}

fn settle(result: Result<JsValue, JsValue>) -> Promise {
    match result {
        Ok(value) => Promise::resolve(&value),
        Err(err) => Promise::reject(&err),
    }
}

/// Failures that a newer key set might fix: an unknown `kid`, or (kid-less tokens) no key
/// verifying the signature.
fn is_key_miss(err: &Error) -> bool {
    matches!(
        err.edge(),
        Some(EdgeError::NoMatchingKey { .. } | EdgeError::SignatureInvalid { .. })
    )
}
