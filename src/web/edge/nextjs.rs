//! The Next.js server half's decisions, for the glue in `js/nextjs/server/` (plain JS values in
//! and out).

use wasm_bindgen::prelude::*;

use crate::core::edge::nextjs::{
    self, CONVEX_TIMEOUT_MS, CookieChange, Hydration, MAX_ROUTE_BODY_BYTES, PageStep, Purpose,
    Reply, RouteCall, SHARED_REFRESH_MS,
};
use crate::core::shared::auth_wire::function_body;
use crate::core::shared::cookies::{
    JWT_COOKIE, REFRESH_TOKEN_COOKIE, SIGN_IN_ERROR_COOKIE, VERIFIER_COOKIE, cookie_name,
    is_local_host,
};
use crate::core::shared::json::{Value, object, parse_value};
use crate::web::interop::values::value_to_js;

pub(crate) fn js(value: &Value) -> JsValue {
    value_to_js(value).unwrap_or(JsValue::NULL)
}

/// The cookie names and whether they are `Secure`, for a request whose `Host` is `host`.
#[wasm_bindgen(js_name = nextjsCookies)]
pub fn nextjs_cookies(host: &str) -> JsValue {
    js(&object([
        ("jwt", cookie_name(JWT_COOKIE, host).into()),
        (
            "refreshToken",
            cookie_name(REFRESH_TOKEN_COOKIE, host).into(),
        ),
        ("verifier", cookie_name(VERIFIER_COOKIE, host).into()),
        (
            "signInError",
            cookie_name(SIGN_IN_ERROR_COOKIE, host).into(),
        ),
        ("secure", (!is_local_host(host)).into()),
    ]))
}

/// The timeouts and the sharing window of refreshes.
#[wasm_bindgen(js_name = nextjsPolicy)]
pub fn nextjs_policy() -> JsValue {
    js(&object([
        ("sharedRefreshMs", (SHARED_REFRESH_MS as i64).into()),
        ("convexTimeoutMs", CONVEX_TIMEOUT_MS.into()),
        ("maxRouteBodyBytes", (MAX_ROUTE_BODY_BYTES as i64).into()),
    ]))
}

/// The CSRF rule (see the core's `is_cross_site`).
#[wasm_bindgen(js_name = nextjsIsCrossSite)]
pub fn nextjs_is_cross_site(
    origin: Option<String>,
    host: &str,
    url: &str,
    sec_fetch_site: Option<String>,
) -> bool {
    nextjs::is_cross_site(origin.as_deref(), host, url, sec_fetch_site.as_deref())
}

/// The page rule (see the core's `page_is_cross_site`): a `GET` navigation never is.
#[wasm_bindgen(js_name = nextjsPageIsCrossSite)]
pub fn nextjs_page_is_cross_site(
    method: &str,
    sec_fetch_mode: Option<String>,
    origin: Option<String>,
    host: &str,
    url: &str,
    sec_fetch_site: Option<String>,
) -> bool {
    nextjs::page_is_cross_site(
        method,
        sec_fetch_mode.as_deref(),
        origin.as_deref(),
        host,
        url,
        sec_fetch_site.as_deref(),
    )
}

/// What a route request asks (`body` null: over `maxRouteBodyBytes`): `{call: "refresh" | "signIn" | "signOut", args?, withToken?}`, or
/// `{refusal: {status, code, message}}`.
#[wasm_bindgen(js_name = nextjsRouteCall)]
pub fn nextjs_route_call(method: &str, cross_site: bool, body: Option<String>) -> JsValue {
    js(
        &match nextjs::route_call(method, cross_site, body.as_deref()) {
            Ok(RouteCall::Refresh) => object([("call", "refresh".into())]),
            Ok(RouteCall::SignIn { args, with_token }) => object([
                ("call", "signIn".into()),
                ("args", args),
                ("withToken", with_token.into()),
            ]),
            Ok(RouteCall::SignOut) => object([("call", "signOut".into())]),
            Err(refusal) => object([(
                "refusal",
                object([
                    ("status", refusal.status.into()),
                    ("code", refusal.code.into()),
                    ("message", refusal.message.into()),
                ]),
            )]),
        },
    )
}

/// `"proceed"`, `"refresh"` or `"clear"` for a page request.
#[wasm_bindgen(js_name = nextjsPageStep)]
pub fn nextjs_page_step(
    jwt: Option<String>,
    refresh_token: Option<String>,
    cross_site: bool,
    now_ms: f64,
) -> String {
    match nextjs::page_step(jwt.as_deref(), refresh_token.as_deref(), cross_site, now_ms) {
        PageStep::Proceed => "proceed",
        PageStep::Refresh => "refresh",
        PageStep::Clear => "clear",
    }
    .to_owned()
}

/// An OAuth sign-in come back without a code (see the core's `oauth_return_without_code`).
#[wasm_bindgen(js_name = nextjsOAuthReturnWithoutCode)]
pub fn nextjs_oauth_return_without_code(
    method: &str,
    accept: Option<String>,
    url: &str,
    sec_fetch_site: Option<String>,
    has_verifier: bool,
) -> bool {
    nextjs::oauth_return_without_code(
        method,
        accept.as_deref(),
        url,
        sec_fetch_site.as_deref(),
        has_verifier,
    )
}

/// Whether the route's sign-out refreshes first (see the core's `sign_out_refreshes_first`).
#[wasm_bindgen(js_name = nextjsSignOutRefreshesFirst)]
pub fn nextjs_sign_out_refreshes_first(
    jwt: Option<String>,
    refresh_token: Option<String>,
    now_ms: f64,
) -> bool {
    nextjs::sign_out_refreshes_first(jwt.as_deref(), refresh_token.as_deref(), now_ms)
}

/// `null` when a page's `?code=` may be exchanged, else what to tell the page (see the core's
/// `code_exchange_permitted`).
#[wasm_bindgen(js_name = nextjsCodeExchangeRefusal)]
pub fn nextjs_code_exchange_refusal(
    sec_fetch_site: Option<String>,
    has_verifier: bool,
    has_session: bool,
) -> Option<String> {
    (!nextjs::code_exchange_permitted(sec_fetch_site.as_deref(), has_verifier, has_session))
        .then(|| nextjs::CODE_FROM_ELSEWHERE.to_owned())
}

/// `{code, redirect}` when a page request carries a `?code=` to exchange, else `null`.
#[wasm_bindgen(js_name = nextjsCodeExchange)]
pub fn nextjs_code_exchange(method: &str, accept: Option<String>, url: &str) -> JsValue {
    match nextjs::code_exchange(method, accept.as_deref(), url) {
        Some((code, redirect)) => js(&object([
            ("code", code.into()),
            ("redirect", redirect.into()),
        ])),
        None => JsValue::NULL,
    }
}

/// The body of `POST {cloud}/api/action` for `path` with `args` (JSON text).
#[wasm_bindgen(js_name = nextjsActionBody)]
pub fn nextjs_action_body(path: &str, args: &str) -> String {
    let args = parse_value(args.as_bytes()).unwrap_or(Value::Object(Default::default()));
    function_body(path, &args)
}

/// Judges the deployment's reply (`status` + `body`, or `failure`) to a call made for
/// `purpose` ("refresh" | "signIn" | "codeExchange"): `{status, body, cookies, outcome, detail}` (`detail`:
/// what went wrong, for the server's log) where `cookies` is
/// `{set: {token, refreshToken}}`, `{clear: true}`, `{verifier: string | null}` or `{}`.
#[wasm_bindgen(js_name = nextjsJudge)]
pub fn nextjs_judge(
    purpose: &str,
    status: Option<u16>,
    body: Option<String>,
    failure: Option<String>,
) -> JsValue {
    let purpose = match purpose {
        "refresh" => Purpose::Refresh,
        "codeExchange" => Purpose::CodeExchange,
        _ => Purpose::SignIn,
    };
    let outcome = nextjs::judge(purpose, reply(status, &body, &failure));
    let kind = match &outcome {
        nextjs::Outcome::Tokens(_) => "tokens",
        nextjs::Outcome::SignedOut => "signedOut",
        nextjs::Outcome::Redirect { .. } => "redirect",
        nextjs::Outcome::Started => "started",
        nextjs::Outcome::Refused(_) => "refused",
        nextjs::Outcome::Unavailable(_) => "unavailable",
    };
    let detail = match &outcome {
        nextjs::Outcome::Unavailable(why) | nextjs::Outcome::Refused(why) => Some(why.clone()),
        _ => None,
    };
    let answer = nextjs::route_answer(outcome);
    let cookies = match answer.cookies {
        CookieChange::Keep => object([]),
        CookieChange::Set(t) => object([(
            "set",
            object([
                ("token", t.token.into()),
                ("refreshToken", t.refresh_token.into()),
            ]),
        )]),
        CookieChange::Clear => object([("clear", true.into())]),
        CookieChange::Verifier(v) => object([("verifier", v.into())]),
    };
    js(&object([
        ("status", answer.status.into()),
        ("body", answer.body),
        ("cookies", cookies),
        ("outcome", kind.into()),
        ("detail", detail.into()),
    ]))
}

/// The deployment's reply as the glue reports it: `status` and `body`, or `failure` (why there
/// was no answer).
pub(crate) fn reply<'a>(
    status: Option<u16>,
    body: &'a Option<String>,
    failure: &'a Option<String>,
) -> Reply<'a> {
    match (failure, status) {
        (None, Some(status)) => Reply::Http {
            status,
            body: body.as_deref().unwrap_or(""),
        },
        _ => Reply::Failed(failure.as_deref().unwrap_or("no answer")),
    }
}

/// What the page's session starts from: the verified JWT, `null` (no session), or `undefined`
/// (refresh to find out).
#[wasm_bindgen(js_name = nextjsHydration)]
pub fn nextjs_hydration(verified: Option<String>, has_refresh_token: bool) -> JsValue {
    match nextjs::hydration(verified, has_refresh_token) {
        Hydration::Token(token) => JsValue::from_str(&token),
        Hydration::SignedOut => JsValue::NULL,
        Hydration::Refresh => JsValue::UNDEFINED,
    }
}
