//! Exports present in both modules: deployment URLs, origin checks, token decoding, error codes.

use wasm_bindgen::prelude::*;

use super::interop::errors::throw;
use super::interop::values::{from_json, now_seconds, optional_string, value_to_js};
use crate::core::shared::deployment::{BaseUrl, Deployment, UrlRole, same_origin};
use crate::core::shared::error::SHARED_ERROR_CODES;
use crate::core::shared::json::{ObjectText, Value, object_text};
use crate::core::shared::token::{self, DEFAULT_MAX_TOKEN_BYTES, DecodedToken};

#[wasm_bindgen(typescript_custom_section)]
const TS_SHARED: &str = r#"
/** Every `code` an error thrown by this package can have. */
export type ConvexAuthErrorCode =
  | "ERR_CONFIG_INVALID" | "ERR_URL_INVALID" | "ERR_FOREIGN_ORIGIN" | "ERR_JWT_TOO_LARGE"
  | "ERR_JWT_MALFORMED" | "ERR_JWT_CLAIM_MISSING" | "ERR_JWT_CLAIM_INVALID"
  | "ERR_STORAGE_UNAVAILABLE" | "ERR_JWT_ALG_NOT_ALLOWED" | "ERR_JWT_SIGNATURE_INVALID"
  | "ERR_JWT_EXPIRED" | "ERR_JWT_NOT_YET_VALID" | "ERR_JWT_TOO_OLD" | "ERR_JWT_ISSUER_MISMATCH"
  | "ERR_JWT_AUDIENCE_MISMATCH" | "ERR_JWKS_INVALID" | "ERR_JWKS_NO_MATCHING_KEY"
  | "ERR_JWKS_FETCH_FAILED" | "ERR_NETWORK_OR_CORS" | "ERR_HTTP_STATUS" | "ERR_FUNCTION_FAILED"
  | "ERR_SIGN_IN_FAILED" | "ERR_SIGN_IN_INCOMPLETE" | "ERR_REFRESH_REJECTED" | "ERR_NOT_SIGNED_IN" | "ERR_DISPOSED"
  | "ERR_REDIRECT_REFUSED" | "ERR_LOCK_TIMEOUT" | "ERR_JWT_CRIT_UNSUPPORTED" | "ERR_JWT_GENERATION_MISMATCH"
  | "ERR_MODULE_NOT_READY" | "ERR_MODULE_LOAD_FAILED" | "ERR_SESSION_INVALID" | "ERR_SIGN_OUT_UNCONFIRMED";

/** The errors this package throws: `name` is "ConvexAuthError"; extra fields depend on the code. */
export interface ConvexAuthError extends Error {
  name: "ConvexAuthError";
  code: ConvexAuthErrorCode;
  /** ERR_CONFIG_INVALID: the option at fault and the value given. ERR_JWT_GENERATION_MISMATCH:
   *  the option that configures the token's generation ("siteUrl" for Convex Auth 0.x,
   *  "convexUrl" for Convex Auth 2). */
  option?: string;
  value?: string;
  /** ERR_CONFIG_INVALID: the URL to use instead, when it can be derived. */
  suggestion?: string;
  /** ERR_JWT_CLAIM_*: the claim at fault, what it must be, and what it was (JSON). */
  claim?: string;
  expected?: string;
  actual?: string;
  /** ERR_JWT_MALFORMED: "token" | "header" | "payload" | "signature". */
  part?: string;
  /** ERR_JWT_ALG_NOT_ALLOWED: the token's alg. ERR_JWKS_NO_MATCHING_KEY: its kid. */
  alg?: string;
  kid?: string | null;
  /** ERR_JWT_EXPIRED: the token's exp; ERR_JWT_*: the verifier's clock (seconds). */
  expiresAt?: number;
  now?: number;
  /** ERR_JWKS_FETCH_FAILED / ERR_HTTP_STATUS: the HTTP status, when there was a response. */
  status?: number | null;
  /** ERR_HTTP_STATUS: the start of the response body. */
  body?: string;
  /** ERR_FUNCTION_FAILED: the function, its errorMessage and errorData (a ConvexError's data). */
  path?: string;
  errorMessage?: string;
  errorData?: unknown;
  /** ERR_FOREIGN_ORIGIN / ERR_URL_INVALID / ERR_JWKS_FETCH_FAILED: the URL; the one origin allowed. */
  url?: string;
  allowedOrigin?: string;
  /** ERR_REDIRECT_REFUSED: where the redirect pointed, when the runtime shows it. */
  location?: string | null;
  /** ERR_LOCK_TIMEOUT: how long this tab waited for the refresh lock. */
  waitedMs?: number;
  /** ERR_SESSION_INVALID / ERR_SIGN_OUT_UNCONFIRMED: why. */
  reason?: string;
  cause?: unknown;
}

/** A deployment's two origins. */
export interface DeploymentUrls {
  /** Functions and the HTTP API, e.g. "https://happy-otter-123.convex.cloud". */
  convexUrl: string;
  /** HTTP actions, JWKS and JWT issuer, e.g. "https://happy-otter-123.convex.site". */
  siteUrl: string;
}

/** A JWT decoded WITHOUT verification: never use it to make an access decision. */
export interface DecodedToken {
  header: { alg: string; kid?: string; typ?: string; [name: string]: unknown };
  claims: { [name: string]: unknown };
  /** `sub`, e.g. "<userId>|<sessionId>". */
  subject: string | null;
  userId: string | null;
  sessionId: string | null;
  issuer: string | null;
  audience: string[];
  /** `iat` and `exp` in seconds since the epoch. */
  issuedAt: number | null;
  expiresAt: number | null;
  /** Seconds from `now` until `exp`; negative once expired. */
  remainingSeconds: number | null;
}
"#;

/// The `DecodedToken` object of a decoded token at `now`.
fn decoded_token_object(token: &DecodedToken, now: i64) -> Result<JsValue, JsValue> {
    let claims = &token.claims;
    let subject = token.subject();
    let mut json = ObjectText::default();
    json.raw("header", &object_text(&token.header.raw))
        .raw("claims", &token.payload_json)
        .string("subject", claims.sub.as_deref())
        .string("userId", subject.as_ref().map(|s| s.user_id))
        .string("sessionId", subject.as_ref().and_then(|s| s.session_id))
        .string("issuer", claims.iss.as_deref())
        .strings("audience", claims.aud.iter().flat_map(|a| a.iter()))
        .integer("issuedAt", claims.iat)
        .integer("expiresAt", claims.exp)
        .integer("remainingSeconds", token.remaining_lifetime(now));
    from_json(&json.finish())
}

/// Resolves a deployment's two URLs, validating both and catching the classic mix-ups.
///
/// ```js
/// resolveDeployment({ convexUrl: "https://happy-otter-123.convex.cloud" })
/// // → { convexUrl: "https://happy-otter-123.convex.cloud", siteUrl: "https://happy-otter-123.convex.site" }
/// resolveDeployment({ convexUrl: "http://127.0.0.1:3210", siteUrl: "http://127.0.0.1:3211" })
/// ```
/// Throws `ERR_CONFIG_INVALID` (with `option`, `value` and, where it can, `suggestion`).
#[wasm_bindgen(js_name = resolveDeployment, unchecked_return_type = "DeploymentUrls")]
pub fn resolve_deployment(
    #[wasm_bindgen(unchecked_param_type = "{ convexUrl: string; siteUrl?: string }")]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let convex_url = optional_string(&options, "convexUrl")?.unwrap_or_default();
    let site_url = optional_string(&options, "siteUrl")?;
    let deployment = throw(Deployment::new(&convex_url, site_url.as_deref()))?;
    let mut json = ObjectText::default();
    json.string("convexUrl", Some(deployment.convex_url().as_str()))
        .string("siteUrl", Some(deployment.site_url().as_str()));
    from_json(&json.finish())
}

/// The site URL of a deployment: the `.convex.site` URL of a Convex Cloud deployment, the next
/// port of a local backend (as the Convex CLI lays them out).
///
/// ```js
/// siteUrlFromConvexUrl("https://happy-otter-123.convex.cloud") // "https://happy-otter-123.convex.site"
/// siteUrlFromConvexUrl("http://127.0.0.1:3210")                 // "http://127.0.0.1:3211"
/// ```
/// Throws `ERR_CONFIG_INVALID` for any other URL (a self-hosted backend's site must be given).
#[wasm_bindgen(js_name = siteUrlFromConvexUrl)]
pub fn site_url_from_convex_url(convex_url: &str) -> Result<String, JsValue> {
    let deployment = throw(Deployment::new(convex_url, None))?;
    Ok(deployment.site_url().as_str().to_owned())
}

/// Validates a URL given as a JWT issuer / site URL (refuses `.convex.cloud`, paths, `http:` off
/// loopback) and returns it normalised, without a trailing slash.
#[wasm_bindgen(js_name = normalizeSiteUrl)]
pub fn normalize_site_url(site_url: &str) -> Result<String, JsValue> {
    let site = throw(BaseUrl::parse(site_url, "siteUrl", UrlRole::Site))?;
    Ok(site.as_str().to_owned())
}

/// True when both URLs have the same origin (scheme, host, port) under the WHATWG URL rules that
/// `fetch` uses. `https://x.convex.site.evil.com`, `https://x.convex.site@evil.com`, another port,
/// another scheme and unparseable URLs are all different origins.
#[wasm_bindgen(js_name = isSameOrigin)]
pub fn is_same_origin(a: &str, b: &str) -> bool {
    same_origin(a, b)
}

/// Decodes a JWT WITHOUT verifying its signature — for display and scheduling, never for access
/// decisions (use the edge verifier for those). `now` is in seconds and defaults to the clock.
///
/// ```js
/// const { userId, sessionId, expiresAt, remainingSeconds } = decodeToken(jwt);
/// ```
/// Throws `ERR_JWT_TOO_LARGE` (over 8 KB), `ERR_JWT_MALFORMED` or `ERR_JWT_CLAIM_INVALID`.
#[wasm_bindgen(js_name = decodeToken, unchecked_return_type = "DecodedToken")]
pub fn decode_token(token: &str, now: Option<f64>) -> Result<JsValue, JsValue> {
    let decoded = throw(token::decode(token, DEFAULT_MAX_TOKEN_BYTES))?;
    let now = now.map_or_else(now_seconds, |n| n.floor() as i64);
    decoded_token_object(&decoded, now)
}

/// Every error code this module can throw.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ConvexAuthErrorCode[]")]
pub fn error_codes() -> Result<JsValue, JsValue> {
    let mut codes: Vec<&str> = SHARED_ERROR_CODES.to_vec();
    #[cfg(feature = "client")]
    codes.extend_from_slice(crate::core::client::CLIENT_ERROR_CODES);
    #[cfg(feature = "edge")]
    codes.extend_from_slice(crate::core::edge::EDGE_ERROR_CODES);
    value_to_js(&Value::Array(codes.into_iter().map(Value::from).collect()))
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
