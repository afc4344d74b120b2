//! Real headless Chromium (`wasm-pack test --headless --chrome`): real Web Storage with the keys
//! the official Convex Auth React client writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(target_arch = "wasm32")]

mod helper;

use convex_auth_wasm::web::client::stored::{read_stored_session, storage_keys};
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CONVEX_URL: &str = "https://happy-otter-123.convex.cloud";

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn fresh_token() -> String {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    helper::jwt(
        r#"{"alg":"RS256"}"#,
        &helper::convex_payload(now, now + 3600),
    )
}

#[wasm_bindgen_test]
fn keys_match_the_official_client() {
    let keys = storage_keys(CONVEX_URL).unwrap();
    assert_eq!(
        get(&keys, "jwt").as_string().unwrap(),
        "__convexAuthJWT_httpshappyotter123convexcloud"
    );
    assert_eq!(
        get(&keys, "refreshToken").as_string().unwrap(),
        "__convexAuthRefreshToken_httpshappyotter123convexcloud"
    );
}

#[wasm_bindgen_test]
fn reads_a_session_written_the_way_the_official_client_writes_it() {
    let storage = local_storage();
    storage.clear().unwrap();
    assert!(
        read_stored_session(CONVEX_URL, None).unwrap().is_null(),
        "empty storage is signed out"
    );
    // The official client writes raw strings: the JWT first, then the refresh token.
    let token = fresh_token();
    storage
        .set_item("__convexAuthJWT_httpshappyotter123convexcloud", &token)
        .unwrap();
    assert!(
        read_stored_session(CONVEX_URL, None).unwrap().is_null(),
        "no refresh token yet"
    );
    storage
        .set_item(
            "__convexAuthRefreshToken_httpshappyotter123convexcloud",
            "refresh123|session456",
        )
        .unwrap();
    let session = read_stored_session(CONVEX_URL, None).unwrap();
    assert_eq!(get(&session, "token").as_string().unwrap(), token);
    assert_eq!(
        get(&session, "refreshToken").as_string().unwrap(),
        "refresh123|session456"
    );
    assert_eq!(get(&session, "userId").as_string().unwrap(), "user123");
    assert_eq!(
        get(&session, "sessionId").as_string().unwrap(),
        "session456"
    );
    assert_eq!(get(&session, "expired").as_bool(), Some(false));
    // Another deployment's namespace sees nothing.
    assert!(
        read_stored_session("https://other-1.convex.cloud", None)
            .unwrap()
            .is_null()
    );
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn a_corrupt_stored_jwt_reads_as_signed_out() {
    let storage = local_storage();
    storage
        .set_item("__convexAuthJWT_httpshappyotter123convexcloud", "not.a{jwt")
        .unwrap();
    storage
        .set_item(
            "__convexAuthRefreshToken_httpshappyotter123convexcloud",
            "r",
        )
        .unwrap();
    assert!(read_stored_session(CONVEX_URL, None).unwrap().is_null());
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn session_storage_is_separate() {
    let session_storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session_storage
        .set_item(
            "__convexAuthJWT_httpshappyotter123convexcloud",
            &fresh_token(),
        )
        .unwrap();
    session_storage
        .set_item(
            "__convexAuthRefreshToken_httpshappyotter123convexcloud",
            "r",
        )
        .unwrap();
    let found = read_stored_session(CONVEX_URL, Some("sessionStorage".into())).unwrap();
    assert_eq!(get(&found, "refreshToken").as_string().unwrap(), "r");
    local_storage().clear().unwrap();
    assert!(read_stored_session(CONVEX_URL, None).unwrap().is_null());
    session_storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn the_browser_url_parser_agrees_with_the_native_one() {
    helper::url_cases::check_all();
}
