//! The wire shapes of the Convex HTTP API (`POST {cloud}/api/query|mutation|action`) and of
//! Convex Auth's `auth:signIn` / `auth:signOut`, and of the Next.js auth route (cookie mode).

use serde_json::{Map, Value, json};

use super::error::{Error, ErrorKind, Result};
use super::session::{RefreshOutcome, Tokens};

/// What a function call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// `/api/query`
    Query,
    /// `/api/mutation`
    Mutation,
    /// `/api/action`
    Action,
}

impl FunctionKind {
    /// The endpoint path on the cloud origin.
    pub fn endpoint(self) -> &'static str {
        match self {
            FunctionKind::Query => "/api/query",
            FunctionKind::Mutation => "/api/mutation",
            FunctionKind::Action => "/api/action",
        }
    }
}

/// The HTTP status Convex uses when a function threw.
pub const FUNCTION_ERROR_STATUS: u16 = 560;

/// The request body of a function call (`"format":"json"`: arguments as plain JSON).
pub fn function_body(path: &str, args: &Value) -> String {
    json!({ "path": path, "args": args, "format": "json" }).to_string()
}

/// The value of a function call's response, or the typed failure.
pub fn function_result(path: &str, url: &str, status: u16, body: &str) -> Result<Value> {
    let parsed: Option<Map<String, Value>> = serde_json::from_str(body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|m| m.get(name));
    match (status, field("status").and_then(Value::as_str)) {
        (200, Some("success")) => Ok(field("value").cloned().unwrap_or(Value::Null)),
        (200 | FUNCTION_ERROR_STATUS, Some("error")) => Err(ErrorKind::FunctionFailed {
            path: path.to_owned(),
            message: field("errorMessage")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_owned(),
            data: field("errorData").map(Value::to_string),
        }
        .into()),
        _ => Err(ErrorKind::HttpStatus {
            url: url.to_owned(),
            status,
            body: body.chars().take(300).collect(),
        }
        .into()),
    }
}

/// What `auth:signIn` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInResult {
    /// Signed in (or, with `None`, definitively not: `{"tokens":null}`).
    Tokens(Option<Tokens>),
    /// OAuth / magic link: go to `redirect`; keep `verifier` for the code exchange.
    Redirect {
        /// Where to send the browser.
        redirect: String,
        /// The PKCE verifier (absent in cookie mode: the route keeps it in a cookie).
        verifier: Option<String>,
    },
    /// An OTP or magic-link email was sent.
    Started,
}

/// Interprets the value `auth:signIn` returned (or the Next.js route's JSON answer).
pub fn sign_in_result(value: &Value) -> Result<SignInResult> {
    let invalid = || -> Error {
        ErrorKind::SignInFailed {
            message: format!(
                "unexpected answer from auth:signIn: {}",
                truncate(&value.to_string())
            ),
        }
        .into()
    };
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        return Err(ErrorKind::SignInFailed {
            message: error.to_owned(),
        }
        .into());
    }
    if let Some(tokens) = value.get("tokens") {
        if tokens.is_null() {
            return Ok(SignInResult::Tokens(None));
        }
        let text = |name: &str| tokens.get(name).and_then(Value::as_str).map(str::to_owned);
        return match (text("token"), text("refreshToken")) {
            (Some(token), Some(refresh_token)) => Ok(SignInResult::Tokens(Some(Tokens {
                token,
                refresh_token,
            }))),
            _ => Err(invalid()),
        };
    }
    if let Some(redirect) = value.get("redirect").and_then(Value::as_str) {
        return Ok(SignInResult::Redirect {
            redirect: redirect.to_owned(),
            verifier: value
                .get("verifier")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    if value.get("started").and_then(Value::as_bool) == Some(true) {
        return Ok(SignInResult::Started);
    }
    Err(invalid())
}

/// The arguments of a refresh: the refresh token and nothing else (sent with NO bearer).
pub fn refresh_args(refresh_token: &str) -> Value {
    json!({ "refreshToken": refresh_token })
}

/// The body of a call through the Next.js auth route (cookie mode).
pub fn route_body(action: &str, args: &Value) -> String {
    json!({ "action": action, "args": args }).to_string()
}

/// What a refresh came back with, from an HTTP status and body.
///
/// Direct (HTTP API): only `{"tokens":null}` signs out; any other failure is transient.
/// Through the Next.js route (`via_route`), a 4xx is definitive too: the route has already
/// cleared the cookies.
pub fn refresh_outcome(url: &str, status: u16, body: &str, via_route: bool) -> RefreshOutcome {
    let value = if via_route {
        match status {
            200 => serde_json::from_str::<Value>(body).map_err(|_| http_error(url, status, body)),
            400..=499 => return RefreshOutcome::SignedOut,
            _ => Err(http_error(url, status, body)),
        }
    } else {
        function_result("auth:signIn", url, status, body)
    };
    match value.and_then(|v| sign_in_result(&v)) {
        Ok(SignInResult::Tokens(Some(tokens))) => RefreshOutcome::Tokens(tokens),
        Ok(SignInResult::Tokens(None)) => RefreshOutcome::SignedOut,
        Ok(_) => RefreshOutcome::Transient(http_error(url, status, body)),
        Err(error) => RefreshOutcome::Transient(error),
    }
}

fn http_error(url: &str, status: u16, body: &str) -> Error {
    ErrorKind::HttpStatus {
        url: url.to_owned(),
        status,
        body: truncate(body),
    }
    .into()
}

fn truncate(text: &str) -> String {
    text.chars().take(300).collect()
}
