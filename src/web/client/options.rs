//! `new SessionManager(options)` → a validated configuration. Every mistake is
//! `ERR_CONFIG_INVALID` at construction, never at the first request.

use js_sys::Function;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::platform::AuthApi;
use super::storage::{ObjectStore, WebStore};
use crate::core::client::ClientError;
use crate::core::client::dialect::{Dialect, V2Api};
use crate::core::client::manager::{Hydrated, Mode};
use crate::core::client::storage::{ResilientStore, TokenStore};
use crate::core::shared::deployment::Deployment;
use crate::core::shared::error::Error;
use crate::web::interop::errors::{throw, wrong_type};
use crate::web::interop::values::{option_value, optional_string};

/// A validated configuration.
pub struct SessionOptions {
    /// The deployment's two origins.
    pub deployment: Deployment,
    /// Storage or cookie mode.
    pub mode: Mode,
    /// The storage key namespace.
    pub namespace: String,
    /// The token store (memory in cookie mode).
    pub store: ResilientStore,
    /// Its name for `getState().storage`.
    pub storage_name: &'static str,
    /// Replaces `history.replaceState` for the code exchange.
    pub replace_url: Option<Function>,
    /// Cookie mode: what the server saw — its verified JWT (`token: "…"`), no session
    /// (`token: null`), or nothing said (`undefined`).
    pub hydrated: Hydrated,
    /// Cookie mode: a sign-in failure the server saw for this page (`signInError`).
    pub sign_in_failure: Option<Error>,
    /// Which Convex Auth: 0.x, or 2 (`v2Api` names its functions, `authApi` gives them).
    pub dialect: Dialect,
    /// Convex Auth 2: the app's own `authApi`.
    pub auth_api: Option<AuthApi>,
}

/// Parses and validates the options object.
pub fn parse(options: &JsValue) -> Result<SessionOptions, JsValue> {
    let convex_url = optional_string(options, "convexUrl")?.unwrap_or_default();
    let site_url = optional_string(options, "siteUrl")?;
    let deployment = throw(Deployment::new(&convex_url, site_url.as_deref()))?;
    let namespace = match optional_string(options, "storageNamespace")? {
        Some(namespace) => namespace,
        None => optional_string(options, "namespace")?.unwrap_or(convex_url),
    };
    let auth_api = auth_api(options)?;
    let dialect = dialect(options, auth_api.is_some())?;
    let route = match (&dialect, optional_string(options, "mode")?.as_deref()) {
        (Dialect::V0, Some("ssr")) => {
            let given = JsValue::from_str("ssr");
            return Err(wrong_type(
                "mode",
                &given,
                "\"spa\" (ssr mode is Convex Auth 2's: give v2Api or authApi)",
            ));
        }
        (Dialect::V0, _) => optional_string(options, "nextjsApiRoute")?,
        (Dialect::V2(_), Some("ssr")) => {
            let route = optional_string(options, "ssrRoute")?.unwrap_or_else(|| "/auth".to_owned());
            // A path on this page's site: `//host` and `/\host` are other origins to a URL parser.
            let on_this_site = route
                .strip_prefix('/')
                .is_some_and(|rest| !rest.starts_with(['/', '\\']));
            if !on_this_site {
                let given = JsValue::from_str(&route);
                return Err(wrong_type(
                    "ssrRoute",
                    &given,
                    "a path on this site, e.g. \"/auth\"",
                ));
            }
            Some(route)
        }
        (Dialect::V2(_), None | Some("spa")) => None,
        (Dialect::V2(_), Some(other)) => {
            return Err(wrong_type("mode", &other.into(), "\"spa\" or \"ssr\""));
        }
    };
    let (store, storage_name) = match &route {
        Some(_) => (ResilientStore::memory(), "cookie"),
        None => open_store(options)?,
    };
    let replace_url = match option_value(options, "replaceURL")? {
        None => None,
        Some(f) => Some(
            f.clone()
                .dyn_into::<Function>()
                .map_err(|_| wrong_type("replaceURL", &f, "a function (url: string) => void"))?,
        ),
    };
    Ok(SessionOptions {
        deployment,
        mode: route.map_or(Mode::Direct, |route| Mode::Cookie { route }),
        namespace,
        store,
        storage_name,
        replace_url,
        hydrated: hydration(options)?,
        sign_in_failure: sign_in_failure(options)?,
        dialect,
        auth_api,
    })
}

/// Convex Auth 2 when `v2Api` (function names, e.g. `{ refreshSession: "auth:refreshSession" }`)
/// or an `authApi` is given; 0.x otherwise.
fn dialect(options: &JsValue, via_app: bool) -> Result<Dialect, JsValue> {
    let names = option_value(options, "v2Api")?;
    if names.is_none() && !via_app {
        return Ok(Dialect::V0);
    }
    let name = |key: &'static str, default: &str| -> Result<String, JsValue> {
        Ok(match &names {
            Some(names) => optional_string(names, key)?.unwrap_or_else(|| default.to_owned()),
            None => default.to_owned(),
        })
    };
    Ok(Dialect::V2(V2Api {
        refresh_session: name("refreshSession", "auth:refreshSession")?,
        sign_out: name("signOut", "auth:signOut")?,
        via_app,
    }))
}

/// `authApi: { refreshSession, signOut }`, both functions, when given.
fn auth_api(options: &JsValue) -> Result<Option<AuthApi>, JsValue> {
    let Some(api) = option_value(options, "authApi")? else {
        return Ok(None);
    };
    let function = |key: &str, label: &'static str| -> Result<Function, JsValue> {
        let value = js_sys::Reflect::get(&api, &key.into()).unwrap_or(JsValue::UNDEFINED);
        value
            .clone()
            .dyn_into::<Function>()
            .map_err(|_| wrong_type(label, &value, "a function"))
    };
    Ok(Some(AuthApi {
        object: api.clone(),
        refresh_session: function("refreshSession", "authApi.refreshSession")?,
        sign_out: function("signOut", "authApi.signOut")?,
    }))
}

/// `signInError: { code, message }` as the Next.js server provider hands it over.
fn sign_in_failure(options: &JsValue) -> Result<Option<Error>, JsValue> {
    let Some(given) = option_value(options, "signInError")? else {
        return Ok(None);
    };
    let code = optional_string(&given, "code")?.unwrap_or_default();
    let message = optional_string(&given, "message")?.unwrap_or_default();
    Ok(Some(match code.as_str() {
        "ERR_SIGN_IN_INCOMPLETE" => ClientError::SignInIncomplete.into(),
        _ => ClientError::SignInFailed { message }.into(),
    }))
}

fn hydration(options: &JsValue) -> Result<Hydrated, JsValue> {
    let given = options.is_object() && js_sys::Reflect::has(options, &"token".into())?;
    let raw = if given {
        js_sys::Reflect::get(options, &"token".into())?
    } else {
        JsValue::UNDEFINED
    };
    Ok(match optional_string(options, "token")? {
        Some(token) => Hydrated::Token(token),
        None if raw.is_null() => Hydrated::SignedOut,
        None => Hydrated::Unknown,
    })
}

fn open_store(options: &JsValue) -> Result<(ResilientStore, &'static str), JsValue> {
    let web = |name: &'static str| {
        let store = WebStore::open(name).map(|s| Box::new(s) as Box<dyn TokenStore>);
        (ResilientStore::new(store), name)
    };
    let choice = option_value(options, "storage")?;
    let name = choice.as_ref().and_then(|c| c.as_string());
    Ok(match (choice, name.as_deref()) {
        (None, _) | (Some(_), Some("localStorage")) => web("localStorage"),
        (Some(_), Some("sessionStorage")) => web("sessionStorage"),
        (Some(_), Some("memory")) => (ResilientStore::memory(), "memory"),
        (Some(object), None) if object.is_object() => {
            let store = ObjectStore::new(object.clone()).ok_or_else(|| {
                wrong_type(
                    "storage",
                    &object,
                    "an object with getItem, setItem and removeItem",
                )
            })?;
            (ResilientStore::new(Ok(Box::new(store))), "custom")
        }
        (Some(other), _) => {
            return Err(wrong_type(
                "storage",
                &other,
                "\"localStorage\", \"sessionStorage\", \"memory\" or { getItem, setItem, removeItem }",
            ));
        }
    })
}
