//! The JSON answers of the refresh and sign-out routes: the official bodies
//! (`{"tokens":{accessToken,userId}}`, `{"tokens":null}`), plus a stable code where ours differ
//! — a deployment that could not answer is 503 `ERR_AUTH_UNAVAILABLE`, which no client may read
//! as a sign-out.

use super::cookies::CookieChange;
use super::session::{RefreshOutcome, SessionTokens, SignOutOutcome};
use crate::core::shared::json::{Value, object};

/// A route's answer: status, JSON body, what to do with the cookies.
#[derive(Debug, Clone, PartialEq)]
pub struct SsrAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
    /// The cookie change.
    pub cookies: CookieChange,
}

/// What the browser may hold of a session (the official `SlimTokenBundle`): never the refresh token.
pub fn slim_tokens(tokens: &SessionTokens) -> Value {
    object([
        ("accessToken", tokens.access_token.as_str().into()),
        ("userId", tokens.user_id.as_str().into()),
    ])
}

/// The 503 every route answers when the deployment could not (fixed text: what the deployment
/// said is for the server's log).
pub fn unavailable_body() -> Value {
    object([
        (
            "error",
            "the Convex deployment could not answer; the session is kept, try again".into(),
        ),
        ("code", "ERR_AUTH_UNAVAILABLE".into()),
        ("transient", true.into()),
    ])
}

/// The refresh route's answer.
pub fn refresh_answer(outcome: RefreshOutcome) -> SsrAnswer {
    match outcome {
        RefreshOutcome::Rotated(tokens) => SsrAnswer {
            status: 200,
            body: object([("tokens", slim_tokens(&tokens))]),
            cookies: CookieChange::Set(tokens),
        },
        // A JWT cookie without its refresh token is stale by the time the browser asks.
        RefreshOutcome::NoSession => SsrAnswer {
            status: 401,
            body: object([("tokens", Value::Null)]),
            cookies: CookieChange::Clear,
        },
        RefreshOutcome::Unavailable(_) => SsrAnswer {
            status: 503,
            body: unavailable_body(),
            cookies: CookieChange::Keep,
        },
    }
}

/// The sign-out route's answer: the cookies are cleared in every case; when the deployment did
/// not confirm, the body says so (`ERR_SIGN_OUT_UNCONFIRMED`). `None`: there was no session.
pub fn sign_out_answer(outcome: Option<SignOutOutcome>) -> SsrAnswer {
    let body = match outcome {
        None | Some(SignOutOutcome::Ended) => object([("tokens", Value::Null)]),
        Some(SignOutOutcome::Unconfirmed(_)) => object([
            ("tokens", Value::Null),
            (
                "error",
                "signed out here, but the deployment did not confirm the session's end: it lasts \
                 there until its refresh token expires"
                    .into(),
            ),
            ("code", "ERR_SIGN_OUT_UNCONFIRMED".into()),
        ]),
    };
    SsrAnswer {
        status: 200,
        body,
        cookies: CookieChange::Clear,
    }
}

/// A request from another site (the CSRF rule): the official 403 `{"tokens":null}`, with a code.
/// Nothing is called, no cookie is written.
pub fn forbidden_answer() -> SsrAnswer {
    SsrAnswer {
        status: 403,
        body: object([
            ("tokens", Value::Null),
            (
                "error",
                "the auth routes answer the app's own pages only: the request's Origin is neither \
                 its Host nor in allowedOrigins"
                    .into(),
            ),
            ("code", "ERR_CROSS_SITE_REQUEST".into()),
        ]),
        cookies: CookieChange::Keep,
    }
}
