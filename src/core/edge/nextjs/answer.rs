//! What an `auth:signIn` / `auth:signOut` call to the deployment came back with, and what that
//! means for the cookies and for the client. Only a definitive answer (`{"tokens":null}`) ends a
//! session; an unreachable or failing deployment keeps the cookies and says so with a distinct
//! status (503 and `ERR_AUTH_UNAVAILABLE`), which the client retries with backoff.

use crate::core::shared::json::Value;

use crate::core::shared::auth_wire::{
    Answer, CODE_NOT_ACCEPTED, SignInValue, Tokens, read_answer, read_sign_in,
};
use crate::core::shared::json::{object, to_text};

/// Why the call was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A refresh with the cookie's refresh token.
    Refresh,
    /// A sign-in (password, OAuth start, OTP).
    SignIn,
    /// The exchange of a `?code=` (an OAuth or magic-link return, an OTP): `{"tokens":null}`
    /// refuses the code, and the session the browser has stays.
    CodeExchange,
}

/// What came back from the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'a> {
    /// An HTTP answer.
    Http {
        /// Its status.
        status: u16,
        /// Its body.
        body: &'a str,
    },
    /// No answer: a network error or a timeout (the reason).
    Failed(&'a str),
}

/// What the answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// New tokens: set both cookies.
    Tokens(Tokens),
    /// Definitively signed out (`{"tokens":null}`): clear the cookies.
    SignedOut,
    /// OAuth / magic link: send the browser to `redirect`; keep `verifier` in its cookie.
    Redirect {
        /// Where.
        redirect: String,
        /// The PKCE verifier.
        verifier: Option<String>,
    },
    /// An email was sent.
    Started,
    /// The sign-in was refused (wrong password, bad code): the user's current cookies stay.
    Refused(String),
    /// The deployment could not answer (unreachable, timeout, 5xx, an unexpected body, or
    /// `auth:signIn` threw during a refresh): keep everything, retry later.
    Unavailable(String),
}

/// Judges a reply to a call made for `purpose`.
pub fn judge(purpose: Purpose, reply: Reply) -> Outcome {
    let (status, body) = match reply {
        Reply::Failed(reason) => {
            return Outcome::Unavailable(format!("the deployment did not answer: {reason}"));
        }
        Reply::Http { status, body } => (status, body),
    };
    let value = match read_answer(status, body) {
        Answer::Value(value) => value,
        // A refresh token Convex rejects comes back as {"tokens":null}; a throw is the
        // deployment failing (a missing key, a bug, an outage), never a verdict on the session.
        Answer::Threw { message, .. } if purpose != Purpose::Refresh => {
            return Outcome::Refused(message);
        }
        Answer::Threw { message, .. } => {
            return Outcome::Unavailable(format!("auth:signIn failed: {message}"));
        }
        Answer::Unexpected => {
            return Outcome::Unavailable(format!("the deployment answered HTTP {status}"));
        }
    };
    let signing_in = purpose != Purpose::Refresh;
    match read_sign_in(&value) {
        SignInValue::Tokens(Some(tokens)) => Outcome::Tokens(tokens),
        SignInValue::Tokens(None) if purpose == Purpose::CodeExchange => {
            Outcome::Refused(CODE_NOT_ACCEPTED.to_owned())
        }
        SignInValue::Tokens(None) => Outcome::SignedOut,
        SignInValue::Redirect { redirect, verifier } if signing_in => {
            Outcome::Redirect { redirect, verifier }
        }
        SignInValue::Started if signing_in => Outcome::Started,
        SignInValue::Error(message) if signing_in => Outcome::Refused(message),
        _ => Outcome::Unavailable(format!(
            "unexpected answer from auth:signIn: {}",
            to_text(&value)
        )),
    }
}

/// What to do with the auth cookies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieChange {
    /// Leave them.
    Keep,
    /// Set the JWT and refresh-token cookies (and clear the verifier).
    Set(Tokens),
    /// Clear all three.
    Clear,
    /// Set the OAuth verifier cookie (clear it with `None`).
    Verifier(Option<String>),
}

/// The route's answer to the client.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
    /// The cookie change to apply to the response.
    pub cookies: CookieChange,
}

/// The route's answer for `outcome`. The client never sees the real refresh token (`"dummy"`).
pub fn route_answer(outcome: Outcome) -> RouteAnswer {
    let ok = |body, cookies| RouteAnswer {
        status: 200,
        body,
        cookies,
    };
    match outcome {
        Outcome::Tokens(tokens) => ok(
            object([(
                "tokens",
                object([
                    ("token", tokens.token.clone().into()),
                    ("refreshToken", "dummy".into()),
                ]),
            )]),
            CookieChange::Set(tokens),
        ),
        Outcome::SignedOut => ok(object([("tokens", Value::Null)]), CookieChange::Clear),
        Outcome::Redirect { redirect, verifier } => ok(
            object([("redirect", redirect.into())]),
            CookieChange::Verifier(verifier),
        ),
        Outcome::Started => ok(object([("started", true.into())]), CookieChange::Keep),
        Outcome::Refused(message) => RouteAnswer {
            status: 400,
            body: object([
                ("error", message.into()),
                ("code", "ERR_SIGN_IN_FAILED".into()),
            ]),
            cookies: CookieChange::Keep,
        },
        // Fixed text: what the deployment said (which may be anything) is for the server's log.
        Outcome::Unavailable(_) => RouteAnswer {
            status: 503,
            body: object([
                (
                    "error",
                    "the Convex deployment could not answer; the session is kept, try again".into(),
                ),
                ("code", "ERR_AUTH_UNAVAILABLE".into()),
                ("transient", true.into()),
            ]),
            cookies: CookieChange::Keep,
        },
    }
}
