//! The HTTP API and auth shapes: function results, sign-in answers, and what a refresh answer
//! means — only `{"tokens":null}` (or a route's definitive 4xx) signs out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(not(target_arch = "wasm32"))]

use convex_auth_wasm::core::client::ClientError;
use convex_auth_wasm::core::client::protocol::{
    SignInResult, function_body, function_result, refresh_outcome, sign_in_result,
};
use convex_auth_wasm::core::client::session::{RefreshOutcome, Tokens};
mod helper;

use helper::value;
use serde_json::json;

const URL: &str = "https://happy-otter-123.convex.cloud/api/action";

#[test]
fn function_calls() {
    assert_eq!(
        function_body("auth:signIn", &value(json!({"refreshToken": "r"}))),
        r#"{"args":{"refreshToken":"r"},"format":"json","path":"auth:signIn"}"#
    );
    let ok = function_result(
        "a:b",
        URL,
        200,
        r#"{"status":"success","value":{"x":1},"logLines":[]}"#,
    );
    assert_eq!(ok.unwrap(), value(json!({"x": 1})));
    let err = function_result(
        "a:b",
        URL,
        560,
        r#"{"status":"error","errorMessage":"boom","errorData":{"kind":"x"}}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_FUNCTION_FAILED");
    assert!(
        matches!(err.client(), Some(ClientError::FunctionFailed { message, data: Some(d), .. }) if message == "boom" && d == r#"{"kind":"x"}"#)
    );
    let err = function_result(
        "a:b",
        URL,
        401,
        r#"{"code":"InvalidAuthHeader","message":"expired"}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err.client(), Some(ClientError::HttpStatus { status: 401, body, .. }) if body.contains("InvalidAuthHeader"))
    );
    assert_eq!(
        function_result("a:b", URL, 200, "not json")
            .unwrap_err()
            .code(),
        "ERR_HTTP_STATUS"
    );
}

#[test]
fn sign_in_answers() {
    let tokens = sign_in_result(&value(
        json!({"tokens": {"token": "j", "refreshToken": "r"}}),
    ))
    .unwrap();
    assert_eq!(
        tokens,
        SignInResult::Tokens(Some(Tokens {
            token: "j".into(),
            refresh_token: "r".into()
        }))
    );
    assert_eq!(
        sign_in_result(&value(json!({"tokens": null}))).unwrap(),
        SignInResult::Tokens(None)
    );
    assert_eq!(
        sign_in_result(&value(
            json!({"redirect": "https://github.com/login", "verifier": "v"})
        ))
        .unwrap(),
        SignInResult::Redirect {
            redirect: "https://github.com/login".into(),
            verifier: Some("v".into())
        }
    );
    assert_eq!(
        sign_in_result(&value(json!({"started": true}))).unwrap(),
        SignInResult::Started
    );
    assert_eq!(
        sign_in_result(&value(json!({"error": "InvalidSecret"})))
            .unwrap_err()
            .code(),
        "ERR_SIGN_IN_FAILED"
    );
    assert_eq!(
        sign_in_result(&value(json!({"tokens": {"token": 1}})))
            .unwrap_err()
            .code(),
        "ERR_SIGN_IN_FAILED"
    );
    assert_eq!(
        sign_in_result(&value(json!(42))).unwrap_err().code(),
        "ERR_SIGN_IN_FAILED"
    );
}

#[test]
fn refresh_answers_direct() {
    let signed_out = r#"{"status":"success","value":{"tokens":null}}"#;
    assert_eq!(
        refresh_outcome(URL, 200, signed_out, false),
        RefreshOutcome::SignedOut
    );
    let fresh = r#"{"status":"success","value":{"tokens":{"token":"j","refreshToken":"r2"}}}"#;
    assert!(
        matches!(refresh_outcome(URL, 200, fresh, false), RefreshOutcome::Tokens(t) if t.refresh_token == "r2")
    );
    for (status, body) in [
        (503, "busy"),
        (500, ""),
        (502, "<html>"),
        (400, "bad"),
        (560, r#"{"status":"error","errorMessage":"conflict"}"#),
        (200, "garbage"),
    ] {
        assert!(
            matches!(
                refresh_outcome(URL, status, body, false),
                RefreshOutcome::Transient(_)
            ),
            "{status} {body}"
        );
    }
}

#[test]
fn refresh_answers_through_the_nextjs_route() {
    assert_eq!(
        refresh_outcome("/api/auth", 200, r#"{"tokens":null}"#, true),
        RefreshOutcome::SignedOut
    );
    let fresh = r#"{"tokens":{"token":"j","refreshToken":"dummy"}}"#;
    assert!(
        matches!(refresh_outcome("/api/auth", 200, fresh, true), RefreshOutcome::Tokens(t) if t.refresh_token == "dummy")
    );
    // Only `{"tokens":null}` is definitive: a 403 from an Origin/Host mismatch behind a proxy,
    // a 405, a 408, a 429, the official route's 400 when Convex was unreachable, and 5xx are all
    // retried (a route that really ended the session answers the retry with tokens: null).
    let official_400 = r#"{"error":"fetch failed"}"#;
    for (status, body) in [
        (400, official_400),
        (403, "Invalid origin"),
        (405, "x"),
        (408, "x"),
        (429, "x"),
        (500, "x"),
        (502, "x"),
        (503, "x"),
    ] {
        assert!(
            matches!(
                refresh_outcome("/api/auth", status, body, true),
                RefreshOutcome::Transient(_)
            ),
            "{status} must not sign out"
        );
    }
}
