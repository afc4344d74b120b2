//! Convex Auth 2's dialect of the session engine: what its refresh and sign-out answers mean —
//! only `{kind:"noSession"}` (or the route's `{"tokens":null}` with 200 or 401) signs out — and
//! which session shapes `setSession` keeps in each mode.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(not(target_arch = "wasm32"))]

use convex_auth_wasm::core::client::dialect::{
    Dialect, V2Api, api_refresh_outcome, api_sign_out_confirmed, rotated_outcome,
    route_refresh_outcome, route_sign_out_confirmed, session_tokens, slim_outcome,
};
use convex_auth_wasm::core::client::session::{RefreshOutcome, Tokens};
use convex_auth_wasm::core::client::storage::StorageKeys;
mod helper;

use helper::{jwt, value};
use serde_json::json;

const URL: &str = "https://happy-otter-123.convex.cloud/api/mutation";

/// An access token as Convex Auth 2 mints it (unsigned here: only its shape is read).
fn access() -> String {
    jwt(
        r#"{"alg":"ES256","typ":"JWT"}"#,
        r#"{"sub":"s1","aud":"convex-auth","iat":1000,"exp":1060}"#,
    )
}

fn code(outcome: &RefreshOutcome) -> &'static str {
    match outcome {
        RefreshOutcome::Transient(error) => error.code(),
        RefreshOutcome::SignedOut => "signed out",
        RefreshOutcome::Tokens(_) => "tokens",
    }
}

#[test]
fn the_lock_is_the_refresh_tokens_key_in_v2_and_global_in_0x() {
    let keys = StorageKeys::for_namespace("https://happy-otter-123.convex.cloud");
    let v2 = Dialect::V2(V2Api {
        refresh_session: "auth:refreshSession".into(),
        sign_out: "auth:signOut".into(),
        via_app: false,
    });
    assert_eq!(
        v2.lock_name(&keys),
        "__convexAuthRefreshToken_httpshappyotter123convexcloud"
    );
    assert_eq!(Dialect::V0.lock_name(&keys), "__convexAuthRefreshToken");
}

#[test]
fn refresh_session_answers() {
    let rotated = json!({"status": "success", "value": {"kind": "rotated", "tokens": {
        "accessToken": access(), "refreshToken": "r2", "refreshTokenExpiresAt": 1.0, "userId": "u"}}});
    assert_eq!(
        api_refresh_outcome("auth:refreshSession", URL, 200, &rotated.to_string()),
        RefreshOutcome::Tokens(Tokens {
            token: access(),
            refresh_token: "r2".into()
        })
    );
    let none = json!({"status": "success", "value": {"kind": "noSession"}}).to_string();
    assert_eq!(
        api_refresh_outcome("auth:refreshSession", URL, 200, &none),
        RefreshOutcome::SignedOut
    );
    // Everything else keeps the session: an outage, a throw, an HTML page, an unknown value, a
    // rotation without a refresh token.
    let threw = json!({"status": "error", "errorMessage": "boom"}).to_string();
    let odd = json!({"status": "success", "value": {"kind": "later"}}).to_string();
    let half = json!({"status": "success", "value": {"kind": "rotated", "tokens": {"accessToken": access()}}})
        .to_string();
    for (status, body, expected) in [
        (503, "{}", "ERR_HTTP_STATUS"),
        (560, threw.as_str(), "ERR_FUNCTION_FAILED"),
        (502, "<html>Bad gateway</html>", "ERR_HTTP_STATUS"),
        (200, odd.as_str(), "ERR_SESSION_INVALID"),
        (200, half.as_str(), "ERR_SESSION_INVALID"),
    ] {
        let outcome = api_refresh_outcome("auth:refreshSession", URL, status, body);
        assert_eq!(code(&outcome), expected, "{status} {body}");
    }
    assert_eq!(
        rotated_outcome(&value(json!({"kind": "noSession"}))),
        RefreshOutcome::SignedOut
    );
}

#[test]
fn the_ssr_route_signs_out_only_when_it_says_there_is_no_session() {
    let url = "http://localhost:3000/auth/refresh";
    let fresh = json!({"tokens": {"accessToken": access(), "userId": "u"}}).to_string();
    assert_eq!(
        route_refresh_outcome(url, 200, &fresh),
        RefreshOutcome::Tokens(Tokens {
            token: access(),
            refresh_token: "dummy".into()
        })
    );
    assert_eq!(
        route_refresh_outcome(url, 401, r#"{"tokens":null}"#),
        RefreshOutcome::SignedOut
    );
    assert_eq!(
        route_refresh_outcome(url, 200, r#"{"tokens":null}"#),
        RefreshOutcome::SignedOut
    );
    // The official route's 403 for an Origin behind a proxy, our 503 in an outage, an HTML page.
    for (status, body) in [
        (403, r#"{"tokens":null}"#),
        (503, r#"{"tokens":null,"code":"ERR_AUTH_UNAVAILABLE"}"#),
        (500, "<html>Internal Server Error</html>"),
        (200, "<html>login</html>"),
    ] {
        assert_eq!(
            code(&route_refresh_outcome(url, status, body)),
            "ERR_HTTP_STATUS",
            "{status} {body}"
        );
    }
    assert_eq!(slim_outcome(&value(json!(null))), RefreshOutcome::SignedOut);
}

#[test]
fn set_session_keeps_the_shape_of_its_mode_only() {
    let spa = session_tokens(Some(access()), Some("r".into()), false).unwrap();
    assert_eq!(spa.refresh_token, "r");
    let ssr = session_tokens(Some(access()), None, true).unwrap();
    assert_eq!(ssr.refresh_token, "dummy");
    for (access, refresh, cookie_mode) in [
        (Some("a.b.c"), Some("r"), true), // a refresh token must never reach page storage in ssr
        (Some("a.b.c"), None, false),     // spa without one would end at the first expiry
        (None, Some("r"), false),
        (Some(""), Some("r"), false),
    ] {
        let refused = session_tokens(access.map(Into::into), refresh.map(Into::into), cookie_mode)
            .unwrap_err();
        assert_eq!(refused.code(), "ERR_SESSION_INVALID");
    }
}

#[test]
fn sign_out_confirmation() {
    let ok = json!({"status": "success", "value": null}).to_string();
    assert_eq!(api_sign_out_confirmed(200, &ok), Ok(()));
    assert!(api_sign_out_confirmed(503, "{}").is_err());
    assert_eq!(route_sign_out_confirmed(200, r#"{"tokens":null}"#), Ok(()));
    let unconfirmed = r#"{"tokens":null,"code":"ERR_SIGN_OUT_UNCONFIRMED"}"#;
    assert!(route_sign_out_confirmed(200, unconfirmed).is_err());
    assert!(route_sign_out_confirmed(502, "<html>").is_err());
}
