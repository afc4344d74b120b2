//! Convex Auth 2's session cookies: the official names (no `__Host-` prefix), HttpOnly,
//! SameSite=Lax, `Expires` = the refresh token's expiry; `secure`, `path` and `domain` are the
//! app's. Cleared with the same attributes they were written with.

use crate::core::shared::config_problem::ConfigProblem;
use crate::core::shared::cookies::{JWT_COOKIE, REFRESH_TOKEN_COOKIE};
use crate::core::shared::error::{Error, ErrorKind};
use crate::core::shared::json::{Value, to_text};

use super::session::SessionTokens;

/// The attributes an app chooses (`cookieOptions`: `secure` required, as in 2.0.0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieOptions {
    /// `Secure`: true behind https.
    pub secure: bool,
    /// `Path`, default `/`.
    pub path: String,
    /// `Domain`, if any.
    pub domain: Option<String>,
}

/// True for a string that is a cookie value as it is (RFC 6265 `cookie-octet`s): no spaces,
/// quotes, commas, semicolons or backslashes, nothing outside printable ASCII.
pub fn is_cookie_value(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E))
}

/// An attribute value can end neither the attribute nor the line.
fn is_attribute_value(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x20..0x7F).contains(&b) && b != b';')
}

fn invalid(option: &'static str, value: Option<&Value>, expected: &'static str) -> Error {
    ErrorKind::ConfigInvalid {
        option,
        value: value.map_or_else(
            || "undefined".into(),
            |v| v.as_str().map_or_else(|| to_text(v), str::to_owned),
        ),
        problem: ConfigProblem::WrongType { expected },
    }
    .into()
}

impl CookieOptions {
    /// Reads `cookieOptions`: `ERR_CONFIG_INVALID` names the member that is wrong.
    pub fn read(value: &Value) -> Result<Self, Error> {
        let member = |name| value.get(name);
        let Some(secure) = member("secure").and_then(Value::as_bool) else {
            return Err(invalid(
                "cookieOptions.secure",
                member("secure"),
                "a boolean: true behind https, false for http://localhost",
            ));
        };
        let text = |name: &'static str, option| match member(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if is_attribute_value(text) => Ok(Some(text.clone())),
            Some(other) => Err(invalid(
                option,
                Some(other),
                "a non-empty string without ';' or control characters",
            )),
        };
        let path = text("path", "cookieOptions.path")?.unwrap_or_else(|| "/".into());
        if !path.starts_with('/') {
            return Err(invalid(
                "cookieOptions.path",
                member("path"),
                "a path that starts with '/'",
            ));
        }
        Ok(Self {
            secure,
            path,
            domain: text("domain", "cookieOptions.domain")?,
        })
    }
}

/// What to do with the session cookies.
#[derive(Debug, Clone, PartialEq)]
pub enum CookieChange {
    /// Leave them.
    Keep,
    /// Write both.
    Set(SessionTokens),
    /// Clear both.
    Clear,
}

/// The `Set-Cookie` lines for `change`; `http_date` writes ms since the epoch as an HTTP date
/// (the platform's `Date#toUTCString`).
pub fn set_cookie_lines(
    change: &CookieChange,
    options: &CookieOptions,
    http_date: &dyn Fn(f64) -> String,
) -> Vec<String> {
    let line = |name: &str, value: &str, expires_ms: f64| {
        let mut line = format!("{name}={value}; Path={}", options.path);
        if let Some(domain) = &options.domain {
            line.push_str("; Domain=");
            line.push_str(domain);
        }
        if expires_ms <= 0.0 {
            line.push_str("; Max-Age=0");
        }
        line.push_str("; Expires=");
        line.push_str(&http_date(expires_ms.max(0.0)));
        line.push_str("; HttpOnly");
        if options.secure {
            line.push_str("; Secure");
        }
        line.push_str("; SameSite=Lax");
        line
    };
    match change {
        CookieChange::Keep => Vec::new(),
        CookieChange::Set(tokens) => vec![
            line(
                JWT_COOKIE,
                &tokens.access_token,
                tokens.refresh_token_expires_at,
            ),
            line(
                REFRESH_TOKEN_COOKIE,
                &tokens.refresh_token,
                tokens.refresh_token_expires_at,
            ),
        ],
        CookieChange::Clear => vec![
            line(JWT_COOKIE, "", 0.0),
            line(REFRESH_TOKEN_COOKIE, "", 0.0),
        ],
    }
}
