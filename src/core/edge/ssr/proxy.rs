//! The sign-in proxy (`POST /auth/signin?path=/api/mutation`): the browser's `ConvexHttpClient`
//! aimed at the app, forwarded to the deployment for the allowlisted sign-in functions only; a
//! completed sign-in's refresh token moves into the httpOnly cookie and out of the body.

use super::answer::{slim_tokens, unavailable_body};
use super::cookies::CookieChange;
use super::session::SessionTokens;
use crate::core::edge::nextjs::{MAX_ROUTE_BODY_BYTES, Reply};
use crate::core::shared::auth_wire::FUNCTION_ERROR_STATUS;
use crate::core::shared::json::{ObjectText, Value, parse_value, to_text};

/// The call to forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyCall {
    /// `query`, `mutation` or `action`: the deployment's `/api/<kind>`.
    pub kind: &'static str,
    /// The body to send: the envelope's three members, its `args` as the client encoded them.
    pub body: String,
}

/// The proxy's answer to the browser.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyReply {
    /// The HTTP status.
    pub status: u16,
    /// True for a JSON body; else plain text (what `ConvexHttpClient` shows as the error).
    pub json: bool,
    /// The body.
    pub body: String,
    /// The cookie change.
    pub cookies: CookieChange,
}

fn text(status: u16, code: &str, message: &str) -> ProxyReply {
    ProxyReply {
        status,
        json: false,
        body: format!("{message} ({code})"),
        cookies: CookieChange::Keep,
    }
}

fn json(status: u16, body: String, cookies: CookieChange) -> ProxyReply {
    ProxyReply {
        status,
        json: true,
        body,
        cookies,
    }
}

/// Reads a proxy request: `path` is its `?path=` (the endpoint `ConvexHttpClient` appended),
/// `body` its text (`None` past [`MAX_ROUTE_BODY_BYTES`]), `allowed` the sign-in functions'
/// names. A refusal is the answer to send.
pub fn proxy_call(
    path: Option<&str>,
    body: Option<&str>,
    allowed: &[String],
) -> Result<ProxyCall, ProxyReply> {
    let Some(kind) = ["query", "mutation", "action"]
        .into_iter()
        .find(|kind| path.and_then(|p| p.strip_prefix("/api/")) == Some(*kind))
    else {
        return Err(text(
            404,
            "ERR_SSR_NOT_AN_ENDPOINT",
            "not an auth proxy endpoint: expected ?path=/api/query, /api/mutation or /api/action",
        ));
    };
    let Some(body) = body else {
        return Err(text(
            413,
            "ERR_ROUTE_BODY_TOO_LARGE",
            &format!("the auth proxy reads at most {MAX_ROUTE_BODY_BYTES} bytes"),
        ));
    };
    let malformed = || {
        text(
            400,
            "ERR_ROUTE_BODY_INVALID",
            "malformed Convex function call: expected {\"path\", \"format\":\"convex_encoded_json\", \"args\":[…]}",
        )
    };
    let envelope = parse_value(body.as_bytes()).map_err(|_| malformed())?;
    let function = envelope
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(malformed)?;
    let args = envelope
        .get("args")
        .and_then(Value::as_array)
        .filter(|args| args.len() == 1)
        .ok_or_else(malformed)?;
    if envelope.get("format").and_then(Value::as_str) != Some("convex_encoded_json") {
        return Err(malformed());
    }
    if !allowed.iter().any(|name| name == function) {
        return Err(text(
            403,
            "ERR_SSR_FUNCTION_NOT_EXPOSED",
            &format!(
                "{function} is not exposed through the auth proxy (setupConvexAuthServer's signIn)"
            ),
        ));
    }
    let mut out = ObjectText::default();
    out.string("path", Some(function))
        .string("format", Some("convex_encoded_json"))
        .raw("args", &to_text(&Value::Array(args.clone())));
    Ok(ProxyCall {
        kind,
        body: out.finish(),
    })
}

/// The proxy's answer to the deployment's reply. A function's result or error passes through
/// as it is, except a completed sign-in's tokens (cut to `{accessToken, userId}`, the cookies
/// set); a deployment that could not answer is 503 `ERR_AUTH_UNAVAILABLE`; a sign-in function
/// that returns something else is refused (500: a refresh token must not reach the browser).
pub fn proxy_answer(reply: Reply) -> ProxyReply {
    let (status, body) = match reply {
        Reply::Failed(_) => return json(503, to_text(&unavailable_body()), CookieChange::Keep),
        Reply::Http { status, body } => (status, body),
    };
    if status != 200 && status != FUNCTION_ERROR_STATUS {
        return if status >= 500 {
            json(503, to_text(&unavailable_body()), CookieChange::Keep)
        } else {
            text(
                status,
                "ERR_SSR_UPSTREAM_REFUSED",
                &format!("the deployment refused the call (HTTP {status})"),
            )
        };
    }
    let Ok(mut payload) = parse_value(body.as_bytes()) else {
        return json(503, to_text(&unavailable_body()), CookieChange::Keep);
    };
    if payload.get("status").and_then(Value::as_str) != Some("success") {
        return json(status, body.to_owned(), CookieChange::Keep);
    }
    let value = payload.get("value");
    let tokens = value.and_then(|v| v.get("tokens"));
    match (
        value.and_then(|v| v.get("status")).and_then(Value::as_str),
        tokens,
    ) {
        (Some("error"), None) => json(status, body.to_owned(), CookieChange::Keep),
        (Some("complete"), Some(tokens)) => match SessionTokens::read(tokens) {
            Some(tokens) => {
                let mut value = value.cloned().unwrap_or_default();
                if let (Value::Object(payload), Value::Object(members)) = (&mut payload, &mut value)
                {
                    members.insert("tokens".into(), slim_tokens(&tokens));
                    payload.insert("value".into(), value);
                }
                json(status, to_text(&payload), CookieChange::Set(tokens))
            }
            None => not_a_sign_in(),
        },
        _ => not_a_sign_in(),
    }
}

fn not_a_sign_in() -> ProxyReply {
    text(
        500,
        "ERR_SSR_NOT_A_SIGN_IN",
        "the sign-in function did not return a sign-in result ({status:\"complete\", tokens} or {status:\"error\", userError}); nothing was forwarded",
    )
}
