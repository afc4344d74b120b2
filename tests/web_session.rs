//! The SessionManager in real headless Chromium: the official client's storage, a transient
//! failure that must not sign out, the authed fetch's origin rules, a real CORS refusal, real
//! storage events from another document, Web Locks and a throwing store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(target_arch = "wasm32")]

mod helper;

use convex_auth_wasm::core::client::task::{Either, race};
use convex_auth_wasm::web::client::exports::WasmSession;
use convex_auth_wasm::web::client::locks::acquire;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens on port 9: every request to this "deployment" fails at the network level,
/// which is exactly the transient failure under test.
const DOWN: &str = "http://127.0.0.1:9";
const SITE_DOWN: &str = "http://127.0.0.1:10";

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn keys(convex_url: &str) -> (String, String) {
    let ns: String = convex_url
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (
        format!("__convexAuthJWT_{ns}"),
        format!("__convexAuthRefreshToken_{ns}"),
    )
}

fn fresh_token(user: &str) -> String {
    token_with_seconds_left(user, 3600)
}

/// A one-hour token issued so that `left` seconds remain.
fn token_with_seconds_left(user: &str, left: i64) -> String {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let iat = now + left - 3600;
    let payload = helper::convex_payload(iat, iat + 3600).replace("user123", user);
    helper::jwt(r#"{"alg":"RS256"}"#, &payload)
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

fn manager(convex_url: &str) -> WasmSession {
    WasmSession::new(
        options(&[
            ("convexUrl", convex_url.into()),
            ("siteUrl", SITE_DOWN.into()),
        ]),
        None,
    )
    .unwrap()
}

#[wasm_bindgen_test]
async fn a_session_written_by_the_official_client_survives_a_failing_backend() {
    let (jwt_key, refresh_key) = keys(DOWN);
    storage().clear().unwrap();
    // Five seconds left: refreshed at load, against a dead port.
    storage()
        .set_item(&jwt_key, &token_with_seconds_left("alice", 5))
        .unwrap();
    storage().set_item(&refresh_key, "refresh|session").unwrap();
    let session = manager(DOWN);
    let token = settle(session.fetch_access_token(true, false))
        .await
        .unwrap();
    assert!(
        token.as_string().is_some(),
        "the stored, unexpired JWT is still served"
    );
    let state = session.get_state();
    assert_eq!(get(&state, "isAuthenticated").as_bool(), Some(true));
    assert_eq!(get(&state, "userId").as_string().unwrap(), "alice");
    assert_eq!(get(&state, "refreshFailures").as_f64(), Some(1.0));
    assert_eq!(
        get(&get(&state, "lastError"), "code").as_string().unwrap(),
        "ERR_NETWORK_OR_CORS"
    );
    assert_eq!(get(&state, "storage").as_string().unwrap(), "localStorage");
    assert_eq!(
        storage().get_item(&refresh_key).unwrap().as_deref(),
        Some("refresh|session"),
        "nothing cleared"
    );
    session.dispose();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_authed_fetch_refuses_every_foreign_origin_before_any_request() {
    let (jwt_key, refresh_key) = keys(DOWN);
    storage().set_item(&jwt_key, &fresh_token("bob")).unwrap();
    storage().set_item(&refresh_key, "r").unwrap();
    let session = manager(DOWN);
    for target in [
        "https://evil.com/steal",
        "//evil.com/x",
        "http://127.0.0.1.evil.com:10/x",
        "http://127.0.0.1:10@evil.com/x",
        "http://127.0.0.1:11/x",
        "https://127.0.0.1:10/x",
        "http://127.0.0.1:9/api/action",
        "/\\evil.com",
    ] {
        let err = settle(session.fetch(target.into(), JsValue::UNDEFINED))
            .await
            .unwrap_err();
        assert_eq!(
            get(&err, "code").as_string().unwrap(),
            "ERR_FOREIGN_ORIGIN",
            "{target}"
        );
        assert!(!get(&err, "message").as_string().unwrap().is_empty());
    }
    let err = settle(session.fetch("http://127.0.0.1:10.evil.com/x".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().unwrap(),
        "ERR_URL_INVALID",
        "an invalid port is no URL at all"
    );
    // A same-origin path goes out (and, the port being dead, fails at the network level).
    let err = settle(session.fetch("/whoami".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().unwrap(),
        "ERR_NETWORK_OR_CORS"
    );
    assert_eq!(
        get(&err, "url").as_string().unwrap(),
        "http://127.0.0.1:10/whoami"
    );
    session.dispose();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_real_cors_refusal_becomes_err_network_or_cors_with_advice() {
    // The test page is served from 127.0.0.1:<port>; the same server under "localhost" is
    // another origin and sends no Access-Control-Allow-Origin: the browser refuses the answer.
    let location = web_sys::window().unwrap().location();
    let port = location.port().unwrap();
    let site = format!("http://localhost:{port}");
    let (jwt_key, refresh_key) = keys(DOWN);
    storage().set_item(&jwt_key, &fresh_token("carol")).unwrap();
    storage().set_item(&refresh_key, "r").unwrap();
    let session = WasmSession::new(
        options(&[("convexUrl", DOWN.into()), ("siteUrl", site.clone().into())]),
        None,
    )
    .unwrap();
    let err = settle(session.fetch("/".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().unwrap(),
        "ERR_NETWORK_OR_CORS"
    );
    let message = get(&err, "message").as_string().unwrap();
    assert!(
        message.contains("Access-Control-Allow-Origin") && message.contains("OPTIONS"),
        "{message}"
    );
    session.dispose();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn another_documents_writes_arrive_as_real_storage_events() {
    let (jwt_key, refresh_key) = keys(DOWN);
    storage().set_item(&jwt_key, &fresh_token("dave")).unwrap();
    storage().set_item(&refresh_key, "r1").unwrap();
    let changes = Rc::new(RefCell::new(0));
    let sink = changes.clone();
    let listener = Closure::<dyn FnMut()>::new(move || *sink.borrow_mut() += 1);
    let session = WasmSession::new(
        options(&[("convexUrl", DOWN.into()), ("siteUrl", SITE_DOWN.into())]),
        Some(listener.as_ref().clone().into()),
    )
    .unwrap();
    let before = *changes.borrow();
    // A second document of the same origin (another "tab") writes new tokens, then signs out.
    let document = web_sys::window().unwrap().document().unwrap();
    let frame = document.create_element("iframe").unwrap();
    document.body().unwrap().append_child(&frame).unwrap();
    let other: JsValue = Reflect::get(&frame, &"contentWindow".into()).unwrap();
    let other_storage = get(&other, "localStorage");
    let set: Function = get(&other_storage, "setItem").into();
    set.call2(
        &other_storage,
        &jwt_key.clone().into(),
        &fresh_token("erin").into(),
    )
    .unwrap();
    set.call2(&other_storage, &refresh_key.clone().into(), &"r2".into())
        .unwrap();
    sleep(50).await;
    assert_eq!(
        get(&session.get_state(), "userId").as_string().unwrap(),
        "erin"
    );
    let remove: Function = get(&other_storage, "removeItem").into();
    remove.call1(&other_storage, &jwt_key.into()).unwrap();
    remove.call1(&other_storage, &refresh_key.into()).unwrap();
    sleep(50).await;
    let state = session.get_state();
    assert_eq!(
        get(&state, "isAuthenticated").as_bool(),
        Some(false),
        "signed out with the other tab"
    );
    assert!(*changes.borrow() >= before + 2, "told of both changes");
    session.dispose();
    frame.remove();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn web_locks_serialise_work_across_callers() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let a = {
        let log = log.clone();
        async move {
            let guard = acquire("__convexAuthWasmTest".into()).await.unwrap();
            log.borrow_mut().push("a start");
            sleep(30).await;
            log.borrow_mut().push("a end");
            drop(guard);
        }
    };
    let b = {
        let log = log.clone();
        async move {
            sleep(5).await;
            let guard = acquire("__convexAuthWasmTest".into()).await.unwrap();
            log.borrow_mut().push("b start");
            log.borrow_mut().push("b end");
            drop(guard);
        }
    };
    futures_join(a, b).await;
    assert_eq!(*log.borrow(), ["a start", "a end", "b start", "b end"]);
}

#[wasm_bindgen_test]
async fn a_given_up_lock_wait_leaves_no_request_behind() {
    let holder = acquire("__convexAuthWasmAbort".into()).await.unwrap();
    // Wait for the lock, but give up after 10 ms (the race drops the waiting future).
    let outcome = race(acquire("__convexAuthWasmAbort".into()), sleep(10)).await;
    assert!(
        matches!(outcome, Either::Right(())),
        "the holder still has it"
    );
    sleep(10).await;
    let query = js_sys::eval("navigator.locks.query()").unwrap();
    let snapshot = JsFuture::from(Promise::from(query)).await.unwrap();
    let ours = js_sys::Array::from(&get(&snapshot, "pending"))
        .iter()
        .filter(|r| get(r, "name").as_string().as_deref() == Some("__convexAuthWasmAbort"))
        .count();
    assert_eq!(ours, 0, "the abandoned request was aborted");
    drop(holder);
    let next = race(acquire("__convexAuthWasmAbort".into()), sleep(1000)).await;
    assert!(
        matches!(next, Either::Left(Ok(_))),
        "the lock is free again"
    );
}

#[wasm_bindgen_test]
async fn a_refused_lock_request_falls_back_to_single_flight_in_the_tab() {
    // An opaque origin or a document that is not fully active: navigator.locks.request rejects.
    let restore = js_sys::eval(
        "(() => { const real = navigator.locks.request; \
          navigator.locks.request = () => Promise.reject(new DOMException('refused', 'SecurityError')); \
          return () => { navigator.locks.request = real; }; })()",
    )
    .unwrap();
    let (jwt_key, refresh_key) = keys(DOWN);
    storage()
        .set_item(&jwt_key, &token_with_seconds_left("frank", 5))
        .unwrap();
    storage().set_item(&refresh_key, "r").unwrap();
    let session = manager(DOWN);
    // The load-time refresh runs without the lock (and fails at the dead port): no hang.
    let token = settle(session.fetch_access_token(true, false))
        .await
        .unwrap();
    assert!(token.as_string().is_some());
    let state = session.get_state();
    assert_eq!(get(&state, "crossTab").as_string().unwrap(), "in-tab");
    assert_eq!(get(&state, "refreshFailures").as_f64(), Some(1.0));
    session.dispose();
    Function::from(restore).call0(&JsValue::NULL).unwrap();
    storage().clear().unwrap();
}

async fn futures_join(
    a: impl std::future::Future<Output = ()> + 'static,
    b: impl std::future::Future<Output = ()> + 'static,
) {
    let pa = wasm_bindgen_futures::future_to_promise(async move {
        a.await;
        Ok(JsValue::UNDEFINED)
    });
    let pb = wasm_bindgen_futures::future_to_promise(async move {
        b.await;
        Ok(JsValue::UNDEFINED)
    });
    JsFuture::from(pa).await.unwrap();
    JsFuture::from(pb).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_throwing_store_falls_back_to_memory_and_says_so() {
    let throwing = js_sys::eval(
        "({ getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceededError'); }, removeItem() {} })",
    )
    .unwrap();
    let session = WasmSession::new(
        options(&[
            ("convexUrl", DOWN.into()),
            ("siteUrl", SITE_DOWN.into()),
            ("storage", throwing),
        ]),
        None,
    )
    .unwrap();
    let state = session.get_state();
    assert_eq!(
        get(&state, "storage").as_string().unwrap(),
        "memory",
        "fell back on the first failure"
    );
    assert_eq!(
        get(&get(&state, "storageError"), "code")
            .as_string()
            .unwrap(),
        "ERR_STORAGE_UNAVAILABLE"
    );
    assert_eq!(get(&state, "isAuthenticated").as_bool(), Some(false));
    // Sign-in fails (dead backend) with a typed error; nothing throws synchronously.
    let mut params = Object::new();
    Reflect::set(&params, &"email".into(), &"a@b.c".into()).unwrap();
    params = params.clone();
    let err = settle(session.sign_in(Some("password".into()), params.into()))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().unwrap(),
        "ERR_NETWORK_OR_CORS"
    );
    session.dispose();
    let err = settle(session.fetch("/x".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "ERR_DISPOSED");
    let bad = WasmSession::new(
        options(&[("convexUrl", DOWN.into()), ("storage", 42.into())]),
        None,
    );
    assert!(bad.is_err());
}
