//! Convex Auth 2's server routes' decisions, for the glue in `js/ssr/` (plain JS values in and
//! out; the cookie options travel as the JSON text `ssrCookieOptions` returned).

use wasm_bindgen::prelude::*;

use super::nextjs::{js, reply};
use crate::core::edge::ssr::{
    self, CookieChange, CookieOptions, ProxyReply, RefreshOutcome, SignOutOutcome, SsrAnswer,
};
use crate::core::shared::cookies::{JWT_COOKIE, REFRESH_TOKEN_COOKIE, cookie_value};
use crate::core::shared::json::{Value, object, parse_value, to_text};
use crate::web::interop::errors::throw;

fn options(json: &str) -> CookieOptions {
    parse_value(json.as_bytes())
        .ok()
        .and_then(|value| CookieOptions::read(&value).ok())
        .unwrap_or(CookieOptions {
            secure: true,
            path: "/".into(),
            domain: None,
        })
}

fn set_cookie(change: &CookieChange, options: &CookieOptions) -> Value {
    let http_date =
        |ms: f64| String::from(js_sys::Date::new(&JsValue::from_f64(ms)).to_utc_string());
    Value::Array(
        ssr::set_cookie_lines(change, options, &http_date)
            .into_iter()
            .map(Value::from)
            .collect(),
    )
}

/// The cookies' new values, for the request a proxy passes on: `{jwt, refreshToken}`, `null`
/// (cleared), or `"kept"`.
fn session(change: &CookieChange) -> Value {
    match change {
        CookieChange::Keep => "kept".into(),
        CookieChange::Clear => Value::Null,
        CookieChange::Set(tokens) => object([
            ("jwt", tokens.access_token.as_str().into()),
            ("refreshToken", tokens.refresh_token.as_str().into()),
        ]),
    }
}

fn answer(
    answer: SsrAnswer,
    cookie_options: &str,
    outcome: &str,
    detail: Option<String>,
) -> JsValue {
    js(&object([
        ("status", answer.status.into()),
        ("body", answer.body),
        (
            "setCookie",
            set_cookie(&answer.cookies, &options(cookie_options)),
        ),
        ("session", session(&answer.cookies)),
        ("outcome", outcome.into()),
        ("detail", detail.into()),
    ]))
}

/// Checks an app's `cookieOptions` (any JS value, as JSON text): the options the routes use, as
/// JSON text; throws `ERR_CONFIG_INVALID` naming the member that is wrong.
#[wasm_bindgen(js_name = ssrCookieOptions)]
pub fn ssr_cookie_options(options_json: &str) -> Result<String, JsValue> {
    let value = parse_value(options_json.as_bytes()).unwrap_or_default();
    let options = throw(CookieOptions::read(&value))?;
    Ok(to_text(&object([
        ("secure", options.secure.into()),
        ("path", options.path.into()),
        ("domain", options.domain.into()),
    ])))
}

/// The CSRF rule (see the core's `is_trusted_origin`).
#[wasm_bindgen(js_name = ssrIsTrustedOrigin)]
pub fn ssr_is_trusted_origin(origin: Option<String>, host: &str, allowed: Vec<String>) -> bool {
    ssr::is_trusted_origin(origin.as_deref(), host, &allowed)
}

/// The session cookies of a `Cookie` header: `{jwt, refreshToken}` (each a string or null).
#[wasm_bindgen(js_name = ssrSessionCookies)]
pub fn ssr_session_cookies(cookie_header: Option<String>) -> JsValue {
    let read = |name| cookie_header.as_deref().and_then(|h| cookie_value(h, name));
    js(&object([
        ("jwt", read(JWT_COOKIE).into()),
        ("refreshToken", read(REFRESH_TOKEN_COOKIE).into()),
    ]))
}

/// The refresh route's answer to the deployment's reply to `refreshSession` (`status` + `body`,
/// or `failure`): `{status, body, setCookie: string[], session, outcome, detail}` (`detail`: for
/// the log; `session`: the cookies' new values, `null` when cleared, `"kept"`).
/// With no reply at all (`status` and `failure` both absent) there was no refresh-token cookie.
#[wasm_bindgen(js_name = ssrRefreshAnswer)]
pub fn ssr_refresh_answer(
    status: Option<u16>,
    body: Option<String>,
    failure: Option<String>,
    cookie_options: &str,
) -> JsValue {
    let outcome = if status.is_none() && failure.is_none() {
        RefreshOutcome::NoSession
    } else {
        ssr::judge_refresh(reply(status, &body, &failure))
    };
    let (kind, detail) = match &outcome {
        RefreshOutcome::Rotated(_) => ("rotated", None),
        RefreshOutcome::NoSession => ("noSession", None),
        RefreshOutcome::Unavailable(why) => ("unavailable", Some(why.clone())),
    };
    answer(ssr::refresh_answer(outcome), cookie_options, kind, detail)
}

/// The sign-out route's answer: `called` false when there was no refresh-token cookie (no call),
/// else the reply to `signOut` as for `ssrRefreshAnswer`. The cookies are cleared in every case.
#[wasm_bindgen(js_name = ssrSignOutAnswer)]
pub fn ssr_sign_out_answer(
    called: bool,
    status: Option<u16>,
    body: Option<String>,
    failure: Option<String>,
    cookie_options: &str,
) -> JsValue {
    let outcome = called.then(|| ssr::judge_sign_out(reply(status, &body, &failure)));
    let (kind, detail) = match &outcome {
        None => ("noSession", None),
        Some(SignOutOutcome::Ended) => ("ended", None),
        Some(SignOutOutcome::Unconfirmed(why)) => ("unconfirmed", Some(why.clone())),
    };
    answer(ssr::sign_out_answer(outcome), cookie_options, kind, detail)
}

/// The answer to a request from another site.
#[wasm_bindgen(js_name = ssrForbiddenAnswer)]
pub fn ssr_forbidden_answer() -> JsValue {
    answer(ssr::forbidden_answer(), "{}", "forbidden", None)
}

fn proxy_reply(reply: ProxyReply, cookie_options: &str) -> Value {
    object([
        ("status", reply.status.into()),
        ("json", reply.json.into()),
        ("body", reply.body.into()),
        (
            "setCookie",
            set_cookie(&reply.cookies, &options(cookie_options)),
        ),
    ])
}

/// Reads a sign-in proxy request (`path`: its `?path=`; `body`: null past the size limit):
/// `{kind, body}` to forward, or `{reply: {status, json, body, setCookie}}` to answer at once.
#[wasm_bindgen(js_name = ssrProxyCall)]
pub fn ssr_proxy_call(path: Option<String>, body: Option<String>, allowed: Vec<String>) -> JsValue {
    js(
        &match ssr::proxy_call(path.as_deref(), body.as_deref(), &allowed) {
            Ok(call) => object([("kind", call.kind.into()), ("body", call.body.into())]),
            Err(refusal) => object([("reply", proxy_reply(refusal, "{}"))]),
        },
    )
}

/// The proxy's answer to the deployment's reply: `{status, json, body, setCookie}`.
#[wasm_bindgen(js_name = ssrProxyAnswer)]
pub fn ssr_proxy_answer(
    status: Option<u16>,
    body: Option<String>,
    failure: Option<String>,
    cookie_options: &str,
) -> JsValue {
    js(&proxy_reply(
        ssr::proxy_answer(reply(status, &body, &failure)),
        cookie_options,
    ))
}
