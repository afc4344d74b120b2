//! The Next.js server half's decisions: when a page request refreshes, the CSRF rule, what the
//! route accepts, and what each deployment answer does to the cookies — a transient failure
//! never clears them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(feature = "server")]

mod helper;

use convex_auth_wasm::core::edge::nextjs::{
    CookieChange, Hydration, Outcome, PageStep, Purpose, Reply, RouteCall, code_exchange,
    code_exchange_permitted, hydration, is_cross_site, judge, oauth_return_without_code,
    page_is_cross_site, page_step, refresh_due, route_answer, route_call, sign_out_refreshes_first,
};
use convex_auth_wasm::core::shared::auth_wire::Tokens;
use helper::{convex_payload, jwt, serde, value};
use serde_json::json;

const NOW_S: i64 = 1_700_000_000;
const NOW_MS: f64 = NOW_S as f64 * 1000.0;

fn token(iat: i64, exp: i64) -> String {
    jwt(r#"{"alg":"RS256"}"#, &convex_payload(iat, exp))
}

#[test]
fn a_jwt_is_refreshed_inside_the_official_window() {
    // An hour-long token: refreshed in its last minute.
    assert!(!refresh_due(&token(NOW_S - 3000, NOW_S + 61), NOW_MS));
    assert!(refresh_due(&token(NOW_S - 3000, NOW_S + 59), NOW_MS));
    // A 20 s token: a tenth is 2 s, so the 10 s floor applies.
    assert!(!refresh_due(&token(NOW_S - 9, NOW_S + 11), NOW_MS));
    assert!(refresh_due(&token(NOW_S - 11, NOW_S + 9), NOW_MS));
    assert!(
        refresh_due("not a jwt", NOW_MS),
        "unreadable: refresh rather than sign out"
    );
}

#[test]
fn page_steps() {
    let fresh = token(NOW_S - 10, NOW_S + 3590);
    let stale = token(NOW_S - 3590, NOW_S + 10);
    let cases = [
        (None, None, false, PageStep::Proceed),
        (Some(fresh.as_str()), Some("r"), false, PageStep::Proceed),
        (Some(stale.as_str()), Some("r"), false, PageStep::Refresh),
        (None, Some("r"), false, PageStep::Refresh),
        (Some("garbage"), Some("r"), false, PageStep::Refresh),
        (Some(fresh.as_str()), None, false, PageStep::Proceed),
        (Some(stale.as_str()), None, false, PageStep::Clear),
        (Some(stale.as_str()), Some("r"), true, PageStep::Proceed),
        // The JWT names another session than the refresh cookie: the cookie is the session.
        (
            Some(fresh.as_str()),
            Some("rt1|other"),
            false,
            PageStep::Refresh,
        ),
        (
            Some(fresh.as_str()),
            Some("rt1|session456"),
            false,
            PageStep::Proceed,
        ),
    ];
    for (jwt, refresh, cross, step) in cases {
        assert_eq!(
            page_step(jwt, refresh, cross, NOW_MS),
            step,
            "{jwt:?} {refresh:?} {cross}"
        );
    }
}

#[test]
fn a_link_followed_from_another_site_is_not_cross_site_for_a_page() {
    let (host, url) = ("app.example.com", "https://app.example.com/dashboard");
    let page =
        |method, mode, origin, site| page_is_cross_site(method, mode, origin, host, url, site);
    // Links from email, search, an OAuth provider or a sibling subdomain: the user's own session.
    for site in ["cross-site", "same-site", "same-origin", "none"] {
        assert!(!page("GET", Some("navigate"), None, Some(site)), "{site}");
    }
    assert!(!page("HEAD", Some("navigate"), None, Some("cross-site")));
    assert!(!page("GET", None, None, None), "not a browser");
    // Anything else follows the route's CSRF rule.
    assert!(
        page(
            "POST",
            Some("navigate"),
            Some("https://evil.example"),
            Some("cross-site")
        ),
        "a cross-site form post"
    );
    assert!(
        page("GET", Some("no-cors"), None, Some("same-site")),
        "a sibling's fetch"
    );
    assert!(page(
        "GET",
        Some("cors"),
        Some("https://evil.example"),
        Some("cross-site")
    ));
    assert!(
        !page(
            "POST",
            Some("cors"),
            Some("https://app.example.com"),
            Some("same-origin")
        ),
        "a server action"
    );
    assert!(
        !page("GET", Some("cors"), None, Some("same-origin")),
        "a client-side navigation"
    );
}

#[test]
fn a_sign_out_refreshes_first_when_the_jwt_cannot_name_the_session() {
    let fresh = token(NOW_S - 10, NOW_S + 3590);
    let expired = token(NOW_S - 3700, NOW_S - 100);
    let first = |jwt, refresh| sign_out_refreshes_first(jwt, refresh, NOW_MS);
    assert!(!first(Some(&*fresh), Some("rt|session456")));
    assert!(first(Some(&*expired), Some("rt|session456")), "expired");
    assert!(first(None, Some("rt|session456")), "no JWT");
    assert!(
        first(Some(&*fresh), Some("rt|another")),
        "another session's JWT"
    );
    assert!(!first(Some(&*expired), None), "nothing to refresh with");
}

#[test]
fn an_oauth_return_without_a_code_is_told_to_the_page() {
    let url = "https://app.example.com/dashboard";
    let html = Some("text/html,application/xhtml+xml");
    let back = |url, site, verifier| oauth_return_without_code("GET", html, url, site, verifier);
    assert!(back(url, Some("cross-site"), true));
    assert!(
        !back(url, Some("cross-site"), false),
        "no sign-in under way"
    );
    assert!(
        !back(url, Some("same-origin"), true),
        "a click inside the app"
    );
    assert!(!back(url, Some("none"), true), "typed in, or a bookmark");
    assert!(
        !back("https://app.example.com/?code=1", Some("cross-site"), true),
        "the code is here"
    );
    assert!(!oauth_return_without_code(
        "GET",
        Some("application/json"),
        url,
        Some("cross-site"),
        true
    ));
}

#[test]
fn a_code_from_another_site_never_switches_a_signed_in_browser_to_another_account() {
    let permitted = code_exchange_permitted;
    assert!(
        permitted(Some("same-origin"), false, true),
        "from the app itself"
    );
    assert!(permitted(Some("none"), false, true), "typed in or pasted");
    assert!(
        permitted(Some("cross-site"), true, true),
        "an OAuth return (its verifier)"
    );
    assert!(
        permitted(Some("cross-site"), false, false),
        "a magic link, signed out"
    );
    assert!(
        !permitted(Some("cross-site"), false, true),
        "login CSRF onto a session"
    );
    assert!(!permitted(Some("same-site"), false, true));
}

#[test]
fn a_refused_code_keeps_the_session() {
    let null = json!({"status":"success","value":{"tokens":null}}).to_string();
    let reply = Reply::Http {
        status: 200,
        body: &null,
    };
    let Outcome::Refused(message) = judge(Purpose::CodeExchange, reply) else {
        panic!("a refusal");
    };
    assert!(message.contains("not accepted"), "{message}");
    assert_eq!(judge(Purpose::SignIn, reply), Outcome::SignedOut);
}

#[test]
fn the_csrf_rule() {
    let url = "https://app.example.com/api/auth";
    let host = "app.example.com";
    assert!(!is_cross_site(
        Some("https://app.example.com"),
        host,
        url,
        None
    ));
    assert!(!is_cross_site(
        Some("https://APP.example.com"),
        host,
        url,
        None
    ));
    assert!(is_cross_site(Some("https://evil.example"), host, url, None));
    assert!(
        is_cross_site(Some("http://app.example.com"), host, url, None),
        "scheme"
    );
    assert!(
        is_cross_site(Some("https://app.example.com:8443"), host, url, None),
        "port"
    );
    assert!(
        is_cross_site(Some("null"), host, url, None),
        "an opaque origin"
    );
    assert!(is_cross_site(None, host, url, Some("cross-site")));
    assert!(
        is_cross_site(None, host, url, Some("same-site")),
        "a sibling subdomain"
    );
    assert!(!is_cross_site(None, host, url, Some("same-origin")));
    assert!(!is_cross_site(None, host, url, None), "not a browser");
    assert!(!is_cross_site(
        Some("http://localhost:3000"),
        "localhost:3000",
        "http://localhost:3000/api/auth",
        None
    ));
}

#[test]
fn the_route_accepts_sign_in_refresh_and_sign_out_only() {
    let call = |method, cross, body: &str| route_call(method, cross, Some(body));
    assert_eq!(call("GET", false, "").unwrap_err().status, 405);
    assert_eq!(
        call("POST", true, "{}").unwrap_err().code,
        "ERR_CROSS_SITE_REQUEST"
    );
    assert_eq!(
        call("POST", false, "nope").unwrap_err().code,
        "ERR_ROUTE_BODY_INVALID"
    );
    assert_eq!(
        call("POST", false, r#"{"action":"auth:store","args":{}}"#)
            .unwrap_err()
            .code,
        "ERR_ROUTE_ACTION_UNKNOWN"
    );
    assert_eq!(
        call(
            "POST",
            false,
            r#"{"action":"auth:signIn","args":{"refreshToken":"dummy"}}"#
        )
        .unwrap(),
        RouteCall::Refresh
    );
    let RouteCall::SignIn { with_token, .. } = call(
        "POST",
        false,
        r#"{"action":"auth:signIn","args":{"params":{"code":"123"}}}"#,
    )
    .unwrap() else {
        panic!("a sign-in");
    };
    assert!(!with_token, "a code exchange goes without the bearer");
    let RouteCall::SignIn { with_token, args } = call(
        "POST",
        false,
        r#"{"action":"auth:signIn","args":{"provider":"password","params":{"email":"a@b.c"}}}"#,
    )
    .unwrap() else {
        panic!("a sign-in");
    };
    assert!(with_token);
    assert_eq!(serde(&args)["provider"], "password");
    assert_eq!(
        call("POST", false, r#"{"action":"auth:signOut"}"#).unwrap(),
        RouteCall::SignOut
    );
    let too_large = route_call("POST", false, None).unwrap_err();
    assert_eq!(
        (too_large.status, too_large.code),
        (413, "ERR_ROUTE_BODY_TOO_LARGE")
    );
    assert_eq!(
        route_call("POST", true, None).unwrap_err().code,
        "ERR_CROSS_SITE_REQUEST",
        "the CSRF rule first"
    );
}

#[test]
fn only_tokens_null_signs_out_a_refresh() {
    let tokens = json!({"status":"success","value":{"tokens":{"token":"t","refreshToken":"r"}}});
    let null = json!({"status":"success","value":{"tokens":null}});
    let threw =
        json!({"status":"error","errorMessage":"Missing environment variable JWT_PRIVATE_KEY"});
    let tokens_body = tokens.to_string();
    assert_eq!(
        judge(
            Purpose::Refresh,
            Reply::Http {
                status: 200,
                body: &tokens_body
            }
        ),
        Outcome::Tokens(Tokens {
            token: "t".into(),
            refresh_token: "r".into()
        })
    );
    let null_body = null.to_string();
    assert_eq!(
        judge(
            Purpose::Refresh,
            Reply::Http {
                status: 200,
                body: &null_body
            }
        ),
        Outcome::SignedOut
    );
    let threw_body = threw.to_string();
    let transient = [
        Reply::Failed("ECONNREFUSED"),
        Reply::Failed("timeout after 10000 ms"),
        Reply::Http {
            status: 503,
            body: "Service Unavailable",
        },
        Reply::Http {
            status: 502,
            body: "<html>bad gateway</html>",
        },
        Reply::Http {
            status: 429,
            body: "",
        },
        Reply::Http {
            status: 560,
            body: &threw_body,
        },
    ];
    for reply in transient {
        let outcome = judge(Purpose::Refresh, reply);
        assert!(
            matches!(outcome, Outcome::Unavailable(_)),
            "{reply:?}: {outcome:?}"
        );
        let answer = route_answer(outcome);
        assert_eq!(answer.status, 503);
        assert_eq!(
            answer.cookies,
            CookieChange::Keep,
            "{reply:?}: the cookies stay"
        );
        assert_eq!(serde(&answer.body)["code"], "ERR_AUTH_UNAVAILABLE");
        assert_eq!(serde(&answer.body)["transient"], true);
    }
}

#[test]
fn sign_in_answers_for_the_client() {
    let reply = |body: serde_json::Value, status| (status, body.to_string());
    let (s, b) = reply(
        json!({"status":"error","errorMessage":"InvalidSecret"}),
        560,
    );
    let refused = route_answer(judge(
        Purpose::SignIn,
        Reply::Http {
            status: s,
            body: &b,
        },
    ));
    assert_eq!(
        (refused.status, refused.cookies.clone()),
        (400, CookieChange::Keep),
        "a wrong password keeps the current session"
    );
    assert_eq!(serde(&refused.body)["error"], "InvalidSecret");
    let (s, b) = reply(
        json!({"status":"success","value":{"redirect":"https://github.com/login","verifier":"v"}}),
        200,
    );
    let redirect = route_answer(judge(
        Purpose::SignIn,
        Reply::Http {
            status: s,
            body: &b,
        },
    ));
    assert_eq!(
        redirect.body,
        value(json!({"redirect":"https://github.com/login"})),
        "the verifier stays in its cookie"
    );
    assert_eq!(redirect.cookies, CookieChange::Verifier(Some("v".into())));
    let (s, b) = reply(
        json!({"status":"success","value":{"tokens":{"token":"t","refreshToken":"secret"}}}),
        200,
    );
    let signed_in = route_answer(judge(
        Purpose::SignIn,
        Reply::Http {
            status: s,
            body: &b,
        },
    ));
    assert_eq!(
        signed_in.body,
        value(json!({"tokens":{"token":"t","refreshToken":"dummy"}})),
        "the refresh token never reaches JS"
    );
    let (s, b) = reply(json!({"status":"success","value":{"started":true}}), 200);
    assert_eq!(
        route_answer(judge(
            Purpose::SignIn,
            Reply::Http {
                status: s,
                body: &b
            }
        ))
        .body,
        value(json!({"started":true}))
    );
}

#[test]
fn the_code_leaves_the_url_and_pages_are_hydrated() {
    let (code, rest) = code_exchange(
        "GET",
        Some("text/html,*/*"),
        "https://app.example.com/local?code=123&x=1#h",
    )
    .unwrap();
    assert_eq!(code, "123");
    assert_eq!(rest, "https://app.example.com/local?x=1#h");
    let (_, rest) =
        code_exchange("GET", Some("text/html"), "https://app.example.com/?code=9").unwrap();
    assert_eq!(rest, "https://app.example.com/");
    assert_eq!(
        code_exchange("GET", Some("application/json"), "https://a.example/?code=1"),
        None,
        "not a page"
    );
    assert_eq!(
        code_exchange("POST", Some("text/html"), "https://a.example/?code=1"),
        None
    );
    assert_eq!(
        hydration(Some("jwt".into()), true),
        Hydration::Token("jwt".into())
    );
    assert_eq!(hydration(None, true), Hydration::Refresh);
    assert_eq!(hydration(None, false), Hydration::SignedOut);
}
