//! The JS-facing layer under Node (`wasm-pack test --node`): real JS errors, plain objects, and
//! storage that does not exist outside browsers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(target_arch = "wasm32")]

mod helper;

use convex_auth_wasm::web::client::stored::{read_stored_session, resolve_site_request};
use convex_auth_wasm::web::shared::{
    decode_token, error_codes, is_same_origin, resolve_deployment,
};
use js_sys::{Array, Error, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn options(convex_url: &str, site_url: Option<&str>) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"convexUrl".into(), &convex_url.into()).unwrap();
    if let Some(site) = site_url {
        Reflect::set(&o, &"siteUrl".into(), &site.into()).unwrap();
    }
    o.into()
}

/// Asserts a thrown value is a real `Error` named ConvexAuthError with `code`, and returns it.
fn assert_js_error(thrown: JsValue, code: &str) -> Error {
    let err: Error = thrown.dyn_into().expect("a real Error instance");
    assert_eq!(String::from(err.name()), "ConvexAuthError");
    assert_eq!(get(&err, "code").as_string().unwrap(), code);
    assert!(!String::from(err.message()).is_empty());
    err
}

#[wasm_bindgen_test]
fn resolves_a_deployment_to_a_plain_object() {
    let urls = resolve_deployment(options("https://happy-otter-123.convex.cloud/", None)).unwrap();
    assert_eq!(
        Object::get_prototype_of(&urls),
        Object::get_prototype_of(&Object::new()),
        "plain object, not a Map"
    );
    assert_eq!(
        get(&urls, "siteUrl").as_string().unwrap(),
        "https://happy-otter-123.convex.site"
    );
    assert_eq!(
        get(&urls, "convexUrl").as_string().unwrap(),
        "https://happy-otter-123.convex.cloud"
    );
}

#[wasm_bindgen_test]
fn config_errors_carry_option_value_and_suggestion() {
    let thrown =
        resolve_deployment(options("https://happy-otter-123.convex.site", None)).unwrap_err();
    let err = assert_js_error(thrown, "ERR_CONFIG_INVALID");
    assert_eq!(get(&err, "option").as_string().unwrap(), "convexUrl");
    assert_eq!(
        get(&err, "suggestion").as_string().unwrap(),
        "https://happy-otter-123.convex.cloud"
    );
    // A wrong JS type is a config error too, not a panic.
    let o = Object::new();
    Reflect::set(&o, &"convexUrl".into(), &42.into()).unwrap();
    let err = assert_js_error(
        resolve_deployment(o.into()).unwrap_err(),
        "ERR_CONFIG_INVALID",
    );
    assert_eq!(get(&err, "value").as_string().unwrap(), "42");
    // The instance keeps working after a failure.
    assert!(
        resolve_deployment(options(
            "http://127.0.0.1:3210",
            Some("http://127.0.0.1:3211")
        ))
        .is_ok()
    );
}

#[wasm_bindgen_test]
fn decodes_tokens_with_numbers_and_subject_parts() {
    let token = helper::jwt(
        r#"{"alg":"RS256"}"#,
        &helper::convex_payload(1_700_000_000, 1_700_003_600),
    );
    let decoded = decode_token(&token, Some(1_700_000_600.0)).unwrap();
    assert_eq!(get(&decoded, "userId").as_string().unwrap(), "user123");
    assert_eq!(
        get(&decoded, "sessionId").as_string().unwrap(),
        "session456"
    );
    assert_eq!(
        get(&decoded, "expiresAt").as_f64().unwrap(),
        1_700_003_600.0
    );
    assert_eq!(get(&decoded, "remainingSeconds").as_f64().unwrap(), 3000.0);
    assert_eq!(
        Array::from(&get(&decoded, "audience"))
            .get(0)
            .as_string()
            .unwrap(),
        "convex"
    );
    assert_eq!(
        get(&get(&decoded, "header"), "alg").as_string().unwrap(),
        "RS256"
    );
}

#[wasm_bindgen_test]
fn token_errors_are_typed() {
    assert_js_error(decode_token("a.b", None).unwrap_err(), "ERR_JWT_MALFORMED");
    assert_js_error(
        decode_token(&"x".repeat(9000), None).unwrap_err(),
        "ERR_JWT_TOO_LARGE",
    );
    let err = decode_token(
        &helper::jwt(r#"{"alg":"RS256"}"#, r#"{"exp":"tomorrow"}"#),
        None,
    )
    .unwrap_err();
    let err = assert_js_error(err, "ERR_JWT_CLAIM_INVALID");
    assert_eq!(get(&err, "claim").as_string().unwrap(), "exp");
    assert_eq!(get(&err, "actual").as_string().unwrap(), "\"tomorrow\"");
}

#[wasm_bindgen_test]
fn site_requests_refuse_foreign_origins() {
    let opts = options("https://happy-otter-123.convex.cloud", None);
    assert_eq!(
        resolve_site_request(opts.clone(), "/whoami").unwrap(),
        "https://happy-otter-123.convex.site/whoami"
    );
    let err = assert_js_error(
        resolve_site_request(opts, "https://evil.com/").unwrap_err(),
        "ERR_FOREIGN_ORIGIN",
    );
    assert_eq!(
        get(&err, "allowedOrigin").as_string().unwrap(),
        "https://happy-otter-123.convex.site"
    );
    assert!(!is_same_origin(
        "https://a.convex.site",
        "https://a.convex.site.evil.com"
    ));
}

#[wasm_bindgen_test]
fn storage_is_reported_unavailable_outside_browsers() {
    let thrown = read_stored_session("https://happy-otter-123.convex.cloud", None).unwrap_err();
    let err = assert_js_error(thrown, "ERR_STORAGE_UNAVAILABLE");
    assert_eq!(get(&err, "storage").as_string().unwrap(), "localStorage");
}

#[wasm_bindgen_test]
fn every_code_is_listed() {
    let codes = Array::from(&error_codes().unwrap());
    assert!(codes.includes(&"ERR_FOREIGN_ORIGIN".into(), 0));
    assert!(codes.length() >= 8);
}

#[wasm_bindgen_test]
fn the_runtime_url_parser_agrees_with_the_native_one() {
    helper::url_cases::check_all();
}
