//! The wire shapes both products read: an answer of the Convex HTTP API
//! (`POST {cloud}/api/query|mutation|action`) and the value Convex Auth's `auth:signIn` returns.

use crate::core::shared::json::{ObjectText, Value, parse_value, to_text};

/// The HTTP status Convex uses when a function threw.
pub const FUNCTION_ERROR_STATUS: u16 = 560;

/// What a refused sign-in code means: Convex Auth answers `{"tokens":null}` for a code it does
/// not accept, which is a refusal of this sign-in, never the end of the session the browser has.
pub const CODE_NOT_ACCEPTED: &str = "the sign-in code was not accepted: it was used already, has expired, \
     or was issued to another browser";

/// A JWT and the refresh token that goes with it (`"dummy"` where a cookie holds the real one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// The access token (JWT).
    pub token: String,
    /// The refresh token, opaque.
    pub refresh_token: String,
}

/// The request body of a function call (`"format":"json"`: arguments as plain JSON), members in
/// alphabetical order (the text this crate has always sent).
pub fn function_body(path: &str, args: &Value) -> String {
    let mut body = ObjectText::default();
    body.raw("args", &to_text(args))
        .string("format", Some("json"))
        .string("path", Some(path));
    body.finish()
}

/// What a function call answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// It ran: its return value.
    Value(Value),
    /// It threw (HTTP 560, or 200 with `"status":"error"`).
    Threw {
        /// `errorMessage`.
        message: String,
        /// `errorData` as JSON text, if any.
        data: Option<String>,
    },
    /// Not an answer of a function (another status, or not the API's JSON).
    Unexpected,
}

/// Reads a function call's HTTP status and body.
pub fn read_answer(status: u16, body: &str) -> Answer {
    let parsed = parse_value(body.as_bytes()).ok();
    let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name));
    match (status, field("status").and_then(Value::as_str)) {
        (200, Some("success")) => Answer::Value(field("value").cloned().unwrap_or(Value::Null)),
        (200 | FUNCTION_ERROR_STATUS, Some("error")) => Answer::Threw {
            message: field("errorMessage")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_owned(),
            data: field("errorData").map(to_text),
        },
        _ => Answer::Unexpected,
    }
}

/// What `auth:signIn` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInValue {
    /// Signed in (or, with `None`, definitively not: `{"tokens":null}`).
    Tokens(Option<Tokens>),
    /// OAuth / magic link: go to `redirect`; keep `verifier` for the code exchange.
    Redirect {
        /// Where to send the browser.
        redirect: String,
        /// The PKCE verifier (absent from a Next.js route's answer: it keeps it in a cookie).
        verifier: Option<String>,
    },
    /// An OTP or magic-link email was sent.
    Started,
    /// A Next.js route's `{"error": …}`.
    Error(String),
    /// None of the above.
    Unexpected,
}

/// Interprets the value `auth:signIn` returned (or a Next.js auth route's JSON answer).
pub fn read_sign_in(value: &Value) -> SignInValue {
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        return SignInValue::Error(error.to_owned());
    }
    if let Some(tokens) = value.get("tokens") {
        if tokens.is_null() {
            return SignInValue::Tokens(None);
        }
        let text = |name: &str| tokens.get(name).and_then(Value::as_str).map(str::to_owned);
        return match (text("token"), text("refreshToken")) {
            (Some(token), Some(refresh_token)) => SignInValue::Tokens(Some(Tokens {
                token,
                refresh_token,
            })),
            _ => SignInValue::Unexpected,
        };
    }
    if let Some(redirect) = value.get("redirect").and_then(Value::as_str) {
        return SignInValue::Redirect {
            redirect: redirect.to_owned(),
            verifier: value
                .get("verifier")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
    }
    if value.get("started").and_then(Value::as_bool) == Some(true) {
        return SignInValue::Started;
    }
    SignInValue::Unexpected
}

/// What Convex Auth 2's `refreshSession` mutation returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionReply<'a> {
    /// `{kind:"rotated", tokens}`: the new `TokenBundle` (not yet checked).
    Rotated(&'a Value),
    /// `{kind:"noSession"}`: the session is over.
    NoSession,
    /// Neither.
    Unexpected,
}

/// Reads the value `refreshSession` returned.
pub fn read_session_reply(value: &Value) -> SessionReply<'_> {
    match (
        value.get("kind").and_then(Value::as_str),
        value.get("tokens"),
    ) {
        (Some("noSession"), _) => SessionReply::NoSession,
        (Some("rotated"), Some(tokens)) => SessionReply::Rotated(tokens),
        _ => SessionReply::Unexpected,
    }
}
