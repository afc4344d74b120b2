//! Exports about stored sessions and request targets: the official client's storage keys, the
//! session it stored, and where an authed request would go.

use wasm_bindgen::prelude::*;

use super::storage::{read, web_storage};
use crate::core::client::fetch_policy;
use crate::core::client::storage::{EMAIL_SECRET_KEYS, StorageKeys, namespaced_key};
use crate::core::shared::deployment::Deployment;
use crate::core::shared::json::ObjectText;
use crate::core::shared::token::{self, DEFAULT_MAX_TOKEN_BYTES};
use crate::web::interop::errors::throw;
use crate::web::interop::values::{from_json, now_seconds, optional_string};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** The storage keys the official Convex Auth React client uses for one deployment. */
export interface StorageKeys {
  jwt: string;
  refreshToken: string;
  oauthVerifier: string;
  serverStateFetchTime: string;
  /** Convex Auth 2's email + password flows: the secret kept until the emailed link is opened. */
  emailSignUpSecret: string;
  emailChangeSecret: string;
  emailRecoverySecret: string;
}

/** A session found in storage. The JWT is decoded, not verified. */
export interface StoredSession {
  token: string;
  refreshToken: string;
  userId: string | null;
  sessionId: string | null;
  expiresAt: number | null;
  /** True when `exp` has passed (the session may still be refreshable). */
  expired: boolean;
}
"#;

/// The official client's storage keys for a namespace (by default the deployment's `convexUrl`).
///
/// ```js
/// storageKeys("https://happy-otter-123.convex.cloud").jwt
/// // "__convexAuthJWT_httpshappyotter123convexcloud"
/// ```
#[wasm_bindgen(js_name = storageKeys, unchecked_return_type = "StorageKeys")]
pub fn storage_keys(namespace: &str) -> Result<JsValue, JsValue> {
    let keys = StorageKeys::for_namespace(namespace);
    let mut json = ObjectText::default();
    json.string("jwt", Some(&keys.jwt))
        .string("refreshToken", Some(&keys.refresh_token))
        .string("oauthVerifier", Some(&keys.oauth_verifier))
        .string("serverStateFetchTime", Some(&keys.server_state_fetch_time));
    for (field, name) in EMAIL_SECRET_KEYS {
        json.string(field, Some(&namespaced_key(name, namespace)));
    }
    from_json(&json.finish())
}

/// The official key `__convexAuth<name>_<namespace>` (the namespace's characters outside
/// `[a-zA-Z0-9]` removed), for the keys a sign-in method keeps (`storageKey("Provider_oauth_flow", ns)`).
#[wasm_bindgen(js_name = storageKey)]
pub fn storage_key(name: &str, namespace: &str) -> String {
    namespaced_key(name, namespace)
}

/// Reads the session the official client (or this package) stored for `namespace` from
/// `localStorage` (default) or `sessionStorage`. Returns `null` when there is no complete session
/// or the stored JWT is corrupt — a bad value means "signed out", never a crash.
///
/// ```js
/// const session = readStoredSession("https://happy-otter-123.convex.cloud");
/// if (session) console.log(session.userId, new Date(session.expiresAt * 1000));
/// ```
/// Throws `ERR_STORAGE_UNAVAILABLE` when the storage does not exist or cannot be written.
#[wasm_bindgen(js_name = readStoredSession, unchecked_return_type = "StoredSession | null")]
pub fn read_stored_session(namespace: &str, storage: Option<String>) -> Result<JsValue, JsValue> {
    let name = storage.as_deref().unwrap_or("localStorage");
    let store = throw(web_storage(name))?;
    let keys = StorageKeys::for_namespace(namespace);
    let (Some(jwt), Some(refresh)) = (read(&store, &keys.jwt), read(&store, &keys.refresh_token))
    else {
        return Ok(JsValue::NULL);
    };
    let Ok(decoded) = token::decode(&jwt, DEFAULT_MAX_TOKEN_BYTES) else {
        return Ok(JsValue::NULL);
    };
    let subject = decoded.subject();
    let now = now_seconds();
    let mut json = ObjectText::default();
    json.string("token", Some(&jwt))
        .string("refreshToken", Some(&refresh))
        .string("userId", subject.as_ref().map(|s| s.user_id))
        .string("sessionId", subject.as_ref().and_then(|s| s.session_id))
        .integer("expiresAt", decoded.claims.exp)
        .boolean(
            "expired",
            decoded.remaining_lifetime(now).is_some_and(|r| r <= 0),
        );
    from_json(&json.finish())
}

/// The site URL for a request target, or an error: relative paths resolve against the site URL;
/// an absolute URL on any other origin throws `ERR_FOREIGN_ORIGIN` (so no token is ever attached).
///
/// ```js
/// resolveSiteRequest({ convexUrl }, "/api/upload") // "https://happy-otter-123.convex.site/api/upload"
/// ```
#[wasm_bindgen(js_name = resolveSiteRequest)]
pub fn resolve_site_request(
    #[wasm_bindgen(unchecked_param_type = "{ convexUrl: string; siteUrl?: string }")]
    options: JsValue,
    target: &str,
) -> Result<String, JsValue> {
    let convex_url = optional_string(&options, "convexUrl")?.unwrap_or_default();
    let site_url = optional_string(&options, "siteUrl")?;
    let deployment = throw(Deployment::new(&convex_url, site_url.as_deref()))?;
    Ok(throw(fetch_policy::resolve_site_request(&deployment, target))?.into())
}
