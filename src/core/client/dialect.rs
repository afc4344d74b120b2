//! The two generations of Convex Auth one session engine speaks to. What differs is named here:
//! the refresh lock, the functions and routes a refresh and a sign-out call, and how their
//! answers read. Everything else — timing, backoff, single flight, compare-and-set — is shared.

use super::error::ClientError;
use super::protocol::function_result;
use super::session::{RefreshOutcome, Tokens};
use super::storage::{REFRESH_LOCK_NAME, StorageKeys};
use crate::core::shared::auth_wire::{Answer, SessionReply, read_answer, read_session_reply};
use crate::core::shared::error::{Error, Result, truncate};
use crate::core::shared::json::{Value, parse_value};
use crate::core::shared::token::{DEFAULT_MAX_TOKEN_BYTES, decode};

/// Which Convex Auth the session talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialect {
    /// Convex Auth 0.0.95: the `auth:signIn` action refreshes, `auth:signOut` ends the bearer's
    /// session; cookie mode calls the app's route with `{action, args}`.
    V0,
    /// Convex Auth 2: the app's `refreshSession` and `signOut` mutations, each given the refresh
    /// token; cookie mode (`ssr`) posts to `<route>/refresh` and `<route>/signout`.
    V2(V2Api),
}

/// Convex Auth 2's session functions, as the app names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V2Api {
    /// The `refreshSession` mutation, e.g. `"auth:refreshSession"`.
    pub refresh_session: String,
    /// The `signOut` mutation, e.g. `"auth:signOut"`.
    pub sign_out: String,
    /// The app's own functions (a browser `AuthClient`'s `authApi`) make both calls, through
    /// [`Platform::call_app`](super::platform::Platform::call_app), instead of this engine's HTTP.
    pub via_app: bool,
}

impl Dialect {
    /// The Web Lock refreshes take turns under: 0.x's is global, Convex Auth 2's is the refresh
    /// token's storage key (`__convexAuthRefreshToken_<ns>`).
    pub fn lock_name(&self, keys: &StorageKeys) -> String {
        match self {
            Dialect::V0 => REFRESH_LOCK_NAME.to_owned(),
            Dialect::V2(_) => keys.refresh_token.clone(),
        }
    }

    /// Convex Auth 2's functions, if that is the generation.
    pub fn v2(&self) -> Option<&V2Api> {
        match self {
            Dialect::V0 => None,
            Dialect::V2(api) => Some(api),
        }
    }
}

/// One of Convex Auth 2's session calls, for the app's own `authApi` to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppCall {
    /// `refreshSession(refreshToken)` (spa), or `refreshSession()` (ssr: the cookie holds it).
    Refresh(Option<String>),
    /// `signOut(refreshToken)` (spa), or `signOut()` (ssr).
    SignOut(Option<String>),
}

/// The tokens of a Convex Auth 2 session handed to `setSession`: a full bundle where the page
/// keeps the refresh token (`cookie_mode` false), the access token alone where an httpOnly
/// cookie does. The other shape is refused: a refresh token in page storage is what SSR exists to
/// prevent, and a page session without one would end silently at the first expiry.
pub fn session_tokens(
    access_token: Option<String>,
    refresh_token: Option<String>,
    cookie_mode: bool,
) -> Result<Tokens> {
    let refused = |reason: &str| -> Error {
        ClientError::SessionInvalid {
            reason: reason.to_owned(),
        }
        .into()
    };
    let token = access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| refused("it has no accessToken"))?;
    // Checked before the session is touched: a token the session cannot time is refused whole.
    let timed = decode(&token, DEFAULT_MAX_TOKEN_BYTES).is_ok_and(|t| t.claims.exp.is_some());
    if !timed {
        return Err(refused("its accessToken is not a JWT with an expiry"));
    }
    match (refresh_token.filter(|t| !t.is_empty()), cookie_mode) {
        (Some(refresh_token), false) => Ok(Tokens {
            token,
            refresh_token,
        }),
        (None, true) => Ok(cookie_tokens(token)),
        (Some(_), true) => Err(refused(
            "it carries a refresh token, which in ssr mode belongs in the httpOnly cookie, never \
             in page storage (the sign-in did not go through the app's /auth/signin route)",
        )),
        (None, false) => Err(refused(
            "it has no refreshToken: in spa mode the session could not be refreshed and would \
             end at the access token's expiry (pass the whole TokenBundle the sign-in returned)",
        )),
    }
}

/// Cookie mode's view of a session: the JWT, with the refresh token left in its cookie.
pub fn cookie_tokens(token: String) -> Tokens {
    Tokens {
        token,
        refresh_token: "dummy".to_owned(),
    }
}

/// What `refreshSession` returned (the HTTP API's value, or what the app's `authApi` resolved
/// with in spa mode). Only `{kind:"noSession"}` ends the session.
pub fn rotated_outcome(value: &Value) -> RefreshOutcome {
    match read_session_reply(value) {
        SessionReply::NoSession => RefreshOutcome::SignedOut,
        SessionReply::Rotated(tokens) => {
            let text = |name: &str| tokens.get(name).and_then(Value::as_str).map(str::to_owned);
            match session_tokens(text("accessToken"), text("refreshToken"), false) {
                Ok(tokens) => RefreshOutcome::Tokens(tokens),
                Err(error) => RefreshOutcome::Transient(error),
            }
        }
        SessionReply::Unexpected => RefreshOutcome::Transient(unexpected(
            "refreshSession answered neither {kind:\"rotated\"} nor {kind:\"noSession\"}",
        )),
    }
}

/// What an ssr-mode refresh came to, from the value the route (or the app's `authApi`) gave:
/// `{accessToken, …}` is the new token, `null` the end of the session.
pub fn slim_outcome(tokens: &Value) -> RefreshOutcome {
    if tokens.is_null() {
        return RefreshOutcome::SignedOut;
    }
    let access = tokens.get("accessToken").and_then(Value::as_str);
    match session_tokens(access.map(str::to_owned), None, true) {
        Ok(tokens) => RefreshOutcome::Tokens(tokens),
        Err(error) => RefreshOutcome::Transient(error),
    }
}

/// A refresh through the HTTP API: `refreshSession`'s answer.
pub fn api_refresh_outcome(path: &str, url: &str, status: u16, body: &str) -> RefreshOutcome {
    match function_result(path, url, status, body) {
        Ok(value) => rotated_outcome(&value),
        Err(error) => RefreshOutcome::Transient(error),
    }
}

/// A refresh through the app's `/auth/refresh` route. Only the route saying there is no session
/// — `{"tokens":null}` with 200 or 401 — signs out; a 403 (an Origin check behind a proxy), a 5xx
/// (ours answers 503 in an outage), an HTML error page and a network error are retried.
pub fn route_refresh_outcome(url: &str, status: u16, body: &str) -> RefreshOutcome {
    let tokens = parse_value(body.as_bytes())
        .ok()
        .and_then(|value| value.get("tokens").cloned());
    match (status, tokens) {
        (200, Some(tokens)) if !tokens.is_null() => slim_outcome(&tokens),
        (200 | 401, Some(Value::Null)) => RefreshOutcome::SignedOut,
        _ => RefreshOutcome::Transient(
            ClientError::HttpStatus {
                url: url.to_owned(),
                status,
                body: truncate(body, 300),
            }
            .into(),
        ),
    }
}

/// Whether `signOut` confirmed through the HTTP API: `Err` says why not.
pub fn api_sign_out_confirmed(status: u16, body: &str) -> std::result::Result<(), String> {
    match read_answer(status, body) {
        Answer::Value(_) => Ok(()),
        Answer::Threw { message, .. } => Err(format!("signOut threw: {}", truncate(&message, 300))),
        Answer::Unexpected => Err(format!("the deployment answered HTTP {status}")),
    }
}

/// Whether the app's `/auth/signout` route confirmed: 200 without an error code (ours adds
/// `ERR_SIGN_OUT_UNCONFIRMED` when the deployment did not).
pub fn route_sign_out_confirmed(status: u16, body: &str) -> std::result::Result<(), String> {
    let value = parse_value(body.as_bytes()).ok();
    let code = value
        .as_ref()
        .and_then(|v| v.get("code"))
        .and_then(Value::as_str);
    match (status, code) {
        (200, None) => Ok(()),
        (200, Some(code)) => Err(format!("the route answered {code}")),
        _ => Err(format!("the route answered HTTP {status}")),
    }
}

fn unexpected(message: &str) -> Error {
    ClientError::SessionInvalid {
        reason: message.to_owned(),
    }
    .into()
}
