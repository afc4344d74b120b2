//! Convex Auth 2's server routes' decisions (`convex-auth-wasm/ssr`): the CSRF rule, what a
//! `refreshSession` / `signOut` / proxied sign-in answer does to the cookies and the browser —
//! only `noSession` ends a session — and the `Set-Cookie` lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(feature = "server")]

mod helper;

use convex_auth_wasm::core::edge::nextjs::Reply;
use convex_auth_wasm::core::edge::ssr::{
    CookieChange, CookieOptions, RefreshOutcome, SignOutOutcome, forbidden_answer,
    is_trusted_origin, judge_refresh, judge_sign_out, proxy_answer, proxy_call, refresh_answer,
    set_cookie_lines, sign_out_answer,
};
use helper::{serde, value};
use serde_json::json;

const BUNDLE: &str = r#"{"accessToken":"a.b.c","refreshToken":"rt-1","refreshTokenExpiresAt":1799239630305.00,"userId":"u1"}"#;

fn http(status: u16, body: &str) -> Reply<'_> {
    Reply::Http { status, body }
}

fn rotated() -> String {
    format!(r#"{{"status":"success","value":{{"kind":"rotated","tokens":{BUNDLE}}}}}"#)
}

fn options(secure: bool) -> CookieOptions {
    CookieOptions::read(&value(json!({ "secure": secure }))).unwrap()
}

fn date(ms: f64) -> String {
    format!("<{ms}>")
}

#[test]
fn only_no_session_ends_a_session() {
    let RefreshOutcome::Rotated(tokens) = judge_refresh(http(200, &rotated())) else {
        panic!("rotated")
    };
    assert_eq!(
        (
            tokens.access_token.as_str(),
            tokens.refresh_token.as_str(),
            tokens.user_id.as_str()
        ),
        ("a.b.c", "rt-1", "u1")
    );
    assert_eq!(tokens.refresh_token_expires_at, 1_799_239_630_305.0);
    let no_session = r#"{"status":"success","value":{"kind":"noSession"}}"#;
    assert_eq!(
        judge_refresh(http(200, no_session)),
        RefreshOutcome::NoSession
    );
    for reply in [
        Reply::Failed("ECONNREFUSED"),
        http(503, r#"{"code":"ServiceUnavailable"}"#),
        http(502, "<html>Bad gateway</html>"),
        http(403, "Forbidden"),
        http(560, r#"{"status":"error","errorMessage":"boom"}"#),
        http(
            200,
            r#"{"status":"success","value":{"kind":"somethingNew"}}"#,
        ),
        http(
            200,
            r#"{"status":"success","value":{"kind":"rotated","tokens":{"accessToken":"a"}}}"#,
        ),
        http(200, "not json"),
    ] {
        assert!(
            matches!(judge_refresh(reply), RefreshOutcome::Unavailable(_)),
            "{reply:?}"
        );
    }
}

#[test]
fn tokens_that_could_add_a_cookie_attribute_or_lose_their_expiry_are_not_read() {
    for bad in [
        rotated().replace("rt-1", "rt; Domain=evil.example"),
        rotated().replace("\"rt-1\"", "\"\""),
        rotated().replace("1799239630305.00", "9e15"),
        rotated().replace("1799239630305.00", "-1"),
    ] {
        assert!(
            matches!(
                judge_refresh(http(200, &bad)),
                RefreshOutcome::Unavailable(_)
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_refresh_answers() {
    let RefreshOutcome::Rotated(tokens) = judge_refresh(http(200, &rotated())) else {
        panic!()
    };
    let answer = refresh_answer(RefreshOutcome::Rotated(tokens.clone()));
    assert_eq!(answer.status, 200);
    assert_eq!(
        serde(&answer.body),
        json!({ "tokens": { "accessToken": "a.b.c", "userId": "u1" } })
    );
    assert_eq!(answer.cookies, CookieChange::Set(tokens));

    let gone = refresh_answer(RefreshOutcome::NoSession);
    assert_eq!(
        (gone.status, serde(&gone.body)),
        (401, json!({ "tokens": null }))
    );
    assert_eq!(gone.cookies, CookieChange::Clear);

    let down = refresh_answer(RefreshOutcome::Unavailable("secret detail".into()));
    assert_eq!(down.status, 503);
    assert_eq!(serde(&down.body)["code"], "ERR_AUTH_UNAVAILABLE");
    assert!(
        !serde(&down.body).to_string().contains("secret detail"),
        "the reason is for the log"
    );
    assert_eq!(down.cookies, CookieChange::Keep);

    let forbidden = forbidden_answer();
    assert_eq!(
        (forbidden.status, serde(&forbidden.body)["code"].clone()),
        (403, json!("ERR_CROSS_SITE_REQUEST"))
    );
    assert_eq!(forbidden.cookies, CookieChange::Keep);
}

#[test]
fn sign_out_clears_the_cookies_whatever_the_deployment_says() {
    assert_eq!(
        judge_sign_out(http(200, r#"{"status":"success","value":null}"#)),
        SignOutOutcome::Ended
    );
    let unconfirmed = judge_sign_out(Reply::Failed("timeout after 10000 ms"));
    assert!(matches!(unconfirmed, SignOutOutcome::Unconfirmed(_)));
    for outcome in [None, Some(SignOutOutcome::Ended), Some(unconfirmed.clone())] {
        assert_eq!(sign_out_answer(outcome).cookies, CookieChange::Clear);
    }
    assert_eq!(
        serde(&sign_out_answer(Some(SignOutOutcome::Ended)).body),
        json!({ "tokens": null })
    );
    assert_eq!(
        serde(&sign_out_answer(Some(unconfirmed)).body)["code"],
        "ERR_SIGN_OUT_UNCONFIRMED"
    );
}

#[test]
fn the_cookie_lines() {
    let RefreshOutcome::Rotated(tokens) = judge_refresh(http(200, &rotated())) else {
        panic!()
    };
    let lines = set_cookie_lines(&CookieChange::Set(tokens), &options(true), &date);
    assert_eq!(
        lines,
        [
            "__convexAuthJWT=a.b.c; Path=/; Expires=<1799239630305>; HttpOnly; Secure; SameSite=Lax",
            "__convexAuthRefreshToken=rt-1; Path=/; Expires=<1799239630305>; HttpOnly; Secure; SameSite=Lax",
        ]
    );
    let custom = CookieOptions::read(&value(
        json!({ "secure": false, "path": "/app", "domain": "example.com" }),
    ))
    .unwrap();
    assert_eq!(
        set_cookie_lines(&CookieChange::Clear, &custom, &date),
        [
            "__convexAuthJWT=; Path=/app; Domain=example.com; Max-Age=0; Expires=<0>; HttpOnly; SameSite=Lax",
            "__convexAuthRefreshToken=; Path=/app; Domain=example.com; Max-Age=0; Expires=<0>; HttpOnly; SameSite=Lax",
        ]
    );
    assert!(set_cookie_lines(&CookieChange::Keep, &custom, &date).is_empty());
}

#[test]
fn cookie_options_are_checked() {
    for (options, option) in [
        (json!({}), "cookieOptions.secure"),
        (json!({ "secure": "yes" }), "cookieOptions.secure"),
        (
            json!({ "secure": true, "path": "app" }),
            "cookieOptions.path",
        ),
        (json!({ "secure": true, "path": 3 }), "cookieOptions.path"),
        (
            json!({ "secure": true, "domain": "a; Secure" }),
            "cookieOptions.domain",
        ),
        (
            json!({ "secure": true, "domain": "" }),
            "cookieOptions.domain",
        ),
    ] {
        let error = CookieOptions::read(&value(options)).unwrap_err();
        assert_eq!(error.code(), "ERR_CONFIG_INVALID");
        assert!(error.to_string().contains(option), "{error}");
    }
    assert_eq!(options(true).path, "/");
}

#[test]
fn the_origin_rule_is_the_official_one() {
    let none: [String; 0] = [];
    assert!(is_trusted_origin(
        Some("http://localhost:3000"),
        "localhost:3000",
        &none
    ));
    assert!(is_trusted_origin(
        Some("https://App.example.com"),
        "app.example.com",
        &none
    ));
    assert!(is_trusted_origin(
        Some("https://app.example.com:443"),
        "app.example.com",
        &none
    ));
    for origin in [
        None,
        Some(""),
        Some("null"),
        Some("garbage"),
        Some("https://evil.example"),
    ] {
        assert!(
            !is_trusted_origin(origin, "app.example.com", &none),
            "{origin:?}"
        );
    }
    // A proxy that rewrites Host: the public origin listed, as an origin or a bare host.
    for allowed in ["https://app.example.com", "app.example.com"] {
        assert!(is_trusted_origin(
            Some("https://app.example.com"),
            "internal:8080",
            &[allowed.to_owned()]
        ));
    }
    assert!(!is_trusted_origin(
        Some("https://evil.example"),
        "internal:8080",
        &["app.example.com".to_owned()]
    ));
}

#[test]
fn the_proxy_forwards_allowlisted_calls_only() {
    let allowed = ["auth:signInWithUsernamePassword".to_owned()];
    let body = r#"{"path":"auth:signInWithUsernamePassword","format":"convex_encoded_json","args":[{"username":"u","n":{"$integer":"AQ=="}}],"extra":1}"#;
    let call = proxy_call(Some("/api/mutation"), Some(body), &allowed).unwrap();
    assert_eq!(call.kind, "mutation");
    assert_eq!(
        call.body,
        r#"{"path":"auth:signInWithUsernamePassword","format":"convex_encoded_json","args":[{"username":"u","n":{"$integer":"AQ=="}}]}"#
    );
    let refused =
        |path: Option<&str>, body: Option<&str>| proxy_call(path, body, &allowed).unwrap_err();
    assert_eq!(refused(None, Some(body)).status, 404);
    assert_eq!(refused(Some("/api/query_ts"), Some(body)).status, 404);
    assert_eq!(refused(Some("/api/mutation"), None).status, 413);
    for bad in [
        "{",
        "[]",
        r#"{"path":"auth:signInWithUsernamePassword","format":"json","args":[{}]}"#,
        r#"{"path":"auth:signInWithUsernamePassword","format":"convex_encoded_json","args":[]}"#,
    ] {
        assert!(
            refused(Some("/api/mutation"), Some(bad))
                .body
                .contains("ERR_ROUTE_BODY_INVALID"),
            "{bad}"
        );
    }
    let hidden = refused(
        Some("/api/mutation"),
        Some(&body.replace("signInWithUsernamePassword", "refreshSession")),
    );
    assert_eq!(hidden.status, 403);
    assert!(hidden.body.contains("ERR_SSR_FUNCTION_NOT_EXPOSED"));
}

#[test]
fn the_proxy_moves_the_refresh_token_into_the_cookie() {
    let complete = format!(
        r#"{{"status":"success","value":{{"status":"complete","tokens":{BUNDLE}}},"logLines":[]}}"#
    );
    let reply = proxy_answer(http(200, &complete));
    assert_eq!(reply.status, 200);
    assert_eq!(
        serde(&value(serde_json::from_str(&reply.body).unwrap())),
        json!({ "status": "success", "value": { "status": "complete", "tokens": { "accessToken": "a.b.c", "userId": "u1" } }, "logLines": [] })
    );
    assert!(matches!(reply.cookies, CookieChange::Set(_)));

    // A refused sign-in and a thrown function pass through as they are, cookies untouched.
    let refused = r#"{"status":"success","value":{"status":"error","userError":{"error":"InvalidCredentials"}}}"#;
    let threw = r#"{"status":"error","errorMessage":"boom","errorData":{"x":1}}"#;
    for (status, body) in [(200, refused), (560, threw)] {
        let reply = proxy_answer(http(status, body));
        assert_eq!(
            (reply.status, reply.body.as_str(), &reply.cookies),
            (status, body, &CookieChange::Keep)
        );
    }
    // Anything else that could carry a refresh token to the browser is refused.
    for value in [
        r#"{"status":"error","tokens":{}}"#,
        r#"{"status":"complete"}"#,
        r#"{"tokens":{"refreshToken":"x"}}"#,
        "3",
    ] {
        let reply = proxy_answer(http(
            200,
            &format!(r#"{{"status":"success","value":{value}}}"#),
        ));
        assert_eq!(reply.status, 500, "{value}");
        assert!(!reply.body.contains("refreshToken"));
    }
    // The deployment could not answer: 503 with the code; a 4xx of its own passes as text.
    for reply in [
        Reply::Failed("ECONNRESET"),
        http(502, "<html>"),
        http(200, "not json"),
    ] {
        let answer = proxy_answer(reply);
        assert_eq!(answer.status, 503);
        assert!(answer.body.contains("ERR_AUTH_UNAVAILABLE"));
    }
    assert_eq!(proxy_answer(http(400, "bad")).status, 400);
}
