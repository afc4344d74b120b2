//! `fetch` through `globalThis`, with a timeout (AbortController + setTimeout).

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A text response.
pub struct TextResponse {
    /// HTTP status.
    pub status: u16,
    /// The `Cache-Control` header.
    pub cache_control: Option<String>,
    /// The body.
    pub body: String,
}

/// Why a fetch failed, as text for the error message.
pub type FetchFailure = String;

fn get(target: &JsValue, key: &str) -> Result<JsValue, FetchFailure> {
    Reflect::get(target, &JsValue::from_str(key)).map_err(|e| describe(&e))
}

fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, FetchFailure> {
    let method: Function = get(target, name)?
        .dyn_into()
        .map_err(|_| format!("{name} is not a function"))?;
    method
        .apply(target, &args.iter().collect())
        .map_err(|e| describe(&e))
}

/// The message of a thrown JS value.
pub fn describe(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// A request with a text body.
pub struct TextRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The URL.
    pub url: &'a str,
    /// A JSON body, sent with `Content-Type: application/json`.
    pub json_body: Option<&'a str>,
    /// Sent as `Authorization: Bearer …`.
    pub bearer: Option<&'a str>,
    /// Give up after this many milliseconds.
    pub timeout_ms: u32,
}

/// GETs `url` and reads the body as text, giving up after `timeout_ms`.
pub async fn fetch_text(url: &str, timeout_ms: u32) -> Result<TextResponse, FetchFailure> {
    send(&TextRequest {
        method: "GET",
        url,
        json_body: None,
        bearer: None,
        timeout_ms,
    })
    .await
}

/// Sends a request and reads the response body as text.
pub async fn send(request: &TextRequest<'_>) -> Result<TextResponse, FetchFailure> {
    let TextRequest {
        method,
        url,
        json_body,
        bearer,
        timeout_ms,
    } = *request;
    let global: JsValue = js_sys::global().into();
    let controller_class: Function = get(&global, "AbortController")?
        .dyn_into()
        .map_err(|_| "AbortController is not available".to_owned())?;
    let controller =
        Reflect::construct(&controller_class, &js_sys::Array::new()).map_err(|e| describe(&e))?;
    let abort_target = controller.clone();
    let on_timeout = Closure::once(move || {
        let _ = call_method(&abort_target, "abort", &[]);
    });
    let timer = call_method(
        &global,
        "setTimeout",
        &[on_timeout.as_ref().clone(), JsValue::from(timeout_ms)],
    )?;
    let init = Object::new();
    let _ = Reflect::set(&init, &"signal".into(), &get(&controller, "signal")?);
    let _ = Reflect::set(&init, &"redirect".into(), &"follow".into());
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    let headers = Object::new();
    if let Some(body) = json_body {
        let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
        let _ = Reflect::set(&init, &"body".into(), &body.into());
    }
    if let Some(token) = bearer {
        let _ = Reflect::set(
            &headers,
            &"authorization".into(),
            &format!("Bearer {token}").into(),
        );
    }
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let result = async {
        let promise = call_method(&global, "fetch", &[JsValue::from_str(url), init.into()])?;
        let response = JsFuture::from(js_sys::Promise::from(promise))
            .await
            .map_err(|e| describe(&e))?;
        let status = get(&response, "status")?.as_f64().unwrap_or(0.0) as u16;
        let headers = get(&response, "headers")?;
        let cache_control = call_method(&headers, "get", &["cache-control".into()])?.as_string();
        let text = call_method(&response, "text", &[])?;
        let body = JsFuture::from(js_sys::Promise::from(text))
            .await
            .map_err(|e| describe(&e))?;
        Ok(TextResponse {
            status,
            cache_control,
            body: body.as_string().unwrap_or_default(),
        })
    }
    .await;
    let _ = call_method(&global, "clearTimeout", &[timer]);
    let aborted = get(&get(&controller, "signal")?, "aborted")?.is_truthy();
    drop(on_timeout);
    match result {
        Err(_) if aborted => Err(format!("timed out after {timeout_ms} ms")),
        other => other,
    }
}
