//! The `convex-auth-wasm/doctor` module's wasm half: the plan and the judgement, as plain JS
//! values (the TS layer makes the requests and imports the key).

use js_sys::TypeError;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::core::doctor::{self, CODES, Input, KeyFacts, Observation};
use crate::web::interop::values::{set, to_js};

/// A plain JS value read into a typed shape, through `JSON.stringify` (the doctor runs once, in
/// Node, where a typed error message is worth its code).
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let fail = |reason: String| -> JsValue {
        TypeError::new(&format!("convex-auth-wasm doctor: {what}: {reason}")).into()
    };
    // `undefined` (an absent optional argument) stringifies to nothing: read it as `null`.
    let text = if value.is_undefined() {
        "null".to_owned()
    } else {
        js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| fail("not JSON-serialisable".to_owned()))?
    };
    serde_json::from_slice(text.as_bytes()).map_err(|e| fail(e.to_string()))
}

/// The requests to make and the key to import for `input`.
#[wasm_bindgen(js_name = doctorPlan)]
pub fn doctor_plan(input: JsValue) -> Result<JsValue, JsValue> {
    let input: Input = from_js(input, "input")?;
    to_js(&doctor::plan(&input))
}

/// The report for `input` given the probes' `observations` and the imported `key` (or
/// `undefined`), with its text rendering as `text`.
#[wasm_bindgen(js_name = doctorJudge)]
pub fn doctor_judge(
    input: JsValue,
    observations: JsValue,
    key: JsValue,
) -> Result<JsValue, JsValue> {
    let input: Input = from_js(input, "input")?;
    let observations: Vec<Observation> = from_js(observations, "observations")?;
    let key: Option<KeyFacts> = from_js(key, "key")?;
    let report = doctor::judge(&input, &observations, key.as_ref());
    let value = to_js(&report)?;
    set(
        &value,
        "text",
        &JsValue::from_str(&doctor::render_text(&report)),
    );
    Ok(value)
}

/// The steps from Convex Auth 0.x to 2.0 for `input`'s app, as text.
#[wasm_bindgen(js_name = doctorMigrate)]
pub fn doctor_migrate(input: JsValue) -> Result<String, JsValue> {
    let input: Input = from_js(input, "input")?;
    Ok(doctor::migrate(&input))
}

/// Every finding code.
#[wasm_bindgen(js_name = doctorCodes)]
pub fn doctor_codes() -> Vec<String> {
    CODES.iter().map(|c| (*c).to_owned()).collect()
}
