//! The wire shapes of the Convex HTTP API (`POST {cloud}/api/query|mutation|action`) and of
//! Convex Auth's `auth:signIn` / `auth:signOut`, and of the Next.js auth route (cookie mode).

use crate::core::shared::json::Value;

use super::error::ClientError;
use super::session::{RefreshOutcome, Tokens};
use crate::core::shared::auth_wire::{Answer, SignInValue, read_answer, read_sign_in};
pub use crate::core::shared::auth_wire::{FUNCTION_ERROR_STATUS, function_body};
use crate::core::shared::error::{Error, Result, truncate};
use crate::core::shared::json::{ObjectText, object, parse_value, to_text};

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

/// The value of a function call's response, or the typed failure.
pub fn function_result(path: &str, url: &str, status: u16, body: &str) -> Result<Value> {
    match read_answer(status, body) {
        Answer::Value(value) => Ok(value),
        Answer::Threw { message, data } => Err(ClientError::FunctionFailed {
            path: path.to_owned(),
            message,
            data,
        }
        .into()),
        Answer::Unexpected => Err(http_error(url, status, body)),
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
    let failed = |message: String| -> Error { ClientError::SignInFailed { message }.into() };
    match read_sign_in(value) {
        SignInValue::Tokens(tokens) => Ok(SignInResult::Tokens(tokens)),
        SignInValue::Redirect { redirect, verifier } => {
            Ok(SignInResult::Redirect { redirect, verifier })
        }
        SignInValue::Started => Ok(SignInResult::Started),
        SignInValue::Error(error) => Err(failed(truncate(&error, 300))),
        SignInValue::Unexpected => Err(failed(format!(
            "unexpected answer from auth:signIn: {}",
            truncate(&to_text(value), 300)
        ))),
    }
}

/// The arguments of a refresh: the refresh token and nothing else (sent with NO bearer).
pub fn refresh_args(refresh_token: &str) -> Value {
    object([("refreshToken", refresh_token.into())])
}

/// The body of a call through the Next.js auth route (cookie mode).
pub fn route_body(action: &str, args: &Value) -> String {
    let mut body = ObjectText::default();
    body.string("action", Some(action))
        .raw("args", &to_text(args));
    body.finish()
}

/// What a refresh came back with, from an HTTP status and body.
///
/// Only `{"tokens":null}` signs out. Anything else that is not new tokens is transient and
/// retried: a network error, a timeout, a 5xx, and — through the Next.js route (`via_route`) —
/// any non-200 status (a 403 from an Origin/Host mismatch behind a proxy, a 429, the official
/// route's 400 when Convex was unreachable). A route that has really ended the session answers
/// `{"tokens":null}` to the retry.
pub fn refresh_outcome(url: &str, status: u16, body: &str, via_route: bool) -> RefreshOutcome {
    let value = if via_route {
        match status {
            200 => parse_value(body.as_bytes()).map_err(|_| http_error(url, status, body)),
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
    ClientError::HttpStatus {
        url: url.to_owned(),
        status,
        body: truncate(body, 300),
    }
    .into()
}
