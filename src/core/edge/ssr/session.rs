//! What the deployment answered to `refreshSession` and `signOut` (Convex Auth 2's session
//! mutations, called through the HTTP API).

use super::cookies::is_cookie_value;
use crate::core::edge::nextjs::Reply;
use crate::core::shared::auth_wire::{Answer, SessionReply, read_answer, read_session_reply};
use crate::core::shared::json::Value;

/// A session's tokens as Convex Auth 2 returns them (its `TokenBundle`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTokens {
    /// The access token (an ES256 JWT).
    pub access_token: String,
    /// The rotating refresh token: only ever in the httpOnly cookie.
    pub refresh_token: String,
    /// When the refresh token expires, in ms since the epoch: both cookies live that long.
    pub refresh_token_expires_at: f64,
    /// The user's id.
    pub user_id: String,
}

impl SessionTokens {
    /// Reads a `TokenBundle`: `None` unless every member is there with its type, both tokens are
    /// non-empty cookie values as they are (nothing the deployment sends can add an attribute),
    /// and the expiry is a date.
    pub fn read(value: &Value) -> Option<Self> {
        let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        let tokens = Self {
            access_token: text("accessToken")?,
            refresh_token: text("refreshToken")?,
            // A float on the wire (`1799239630305.00`).
            refresh_token_expires_at: value.get("refreshTokenExpiresAt")?.as_f64()?,
            user_id: text("userId")?,
        };
        let usable = |token: &str| !token.is_empty() && is_cookie_value(token);
        // A date the platform can write (JS dates end at 8.64e15 ms).
        let expiry =
            0.0 < tokens.refresh_token_expires_at && tokens.refresh_token_expires_at <= 8.64e15;
        (usable(&tokens.access_token) && usable(&tokens.refresh_token) && expiry).then_some(tokens)
    }
}

/// What a refresh came to.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshOutcome {
    /// New tokens: set both cookies.
    Rotated(SessionTokens),
    /// `{kind:"noSession"}` (or no refresh-token cookie): the session is over.
    NoSession,
    /// The deployment could not answer (unreachable, a timeout, a 5xx, a throw, a value this
    /// package cannot read): keep the cookies, the browser retries. The reason is for the log.
    Unavailable(String),
}

fn reply_parts<'a>(reply: Reply<'a>) -> Result<(u16, &'a str), String> {
    match reply {
        Reply::Http { status, body } => Ok((status, body)),
        Reply::Failed(reason) => Err(format!("the deployment did not answer: {reason}")),
    }
}

/// Judges the reply to `refreshSession({refreshToken})`.
pub fn judge_refresh(reply: Reply) -> RefreshOutcome {
    let (status, body) = match reply_parts(reply) {
        Ok(parts) => parts,
        Err(why) => return RefreshOutcome::Unavailable(why),
    };
    match read_answer(status, body) {
        Answer::Value(value) => match read_session_reply(&value) {
            SessionReply::NoSession => RefreshOutcome::NoSession,
            SessionReply::Rotated(tokens) => match SessionTokens::read(tokens) {
                Some(tokens) => RefreshOutcome::Rotated(tokens),
                None => RefreshOutcome::Unavailable(
                    "refreshSession rotated the session but its tokens are not a TokenBundle"
                        .into(),
                ),
            },
            // Not echoed: a value of unknown shape may hold a token.
            SessionReply::Unexpected => RefreshOutcome::Unavailable(
                "refreshSession answered neither {kind:\"rotated\"} nor {kind:\"noSession\"}"
                    .into(),
            ),
        },
        Answer::Threw { message, .. } => {
            RefreshOutcome::Unavailable(format!("refreshSession threw: {message}"))
        }
        Answer::Unexpected => {
            RefreshOutcome::Unavailable(format!("the deployment answered HTTP {status}"))
        }
    }
}

/// What a sign-out came to (the cookies are cleared either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOutOutcome {
    /// The deployment deleted the session (or had none).
    Ended,
    /// It could not say: the session may live on at the deployment until it expires.
    Unconfirmed(String),
}

/// Judges the reply to `signOut({refreshToken})`.
pub fn judge_sign_out(reply: Reply) -> SignOutOutcome {
    let (status, body) = match reply_parts(reply) {
        Ok(parts) => parts,
        Err(why) => return SignOutOutcome::Unconfirmed(why),
    };
    match read_answer(status, body) {
        Answer::Value(_) => SignOutOutcome::Ended,
        Answer::Threw { message, .. } => {
            SignOutOutcome::Unconfirmed(format!("signOut threw: {message}"))
        }
        Answer::Unexpected => {
            SignOutOutcome::Unconfirmed(format!("the deployment answered HTTP {status}"))
        }
    }
}
