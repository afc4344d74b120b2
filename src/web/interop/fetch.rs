//! `fetch` through `globalThis` for the package's own requests: a timeout (AbortController +
//! `setTimeout`) and `redirect: "manual"` — a refresh token, a JWT or a JWKS request is never
//! re-sent to wherever a redirect points.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::values::{describe, get, global, set};

/// A text response.
pub struct TextResponse {
    /// HTTP status; 0 for a redirect the browser hides (`opaqueredirect`).
    pub status: u16,
    /// The `Cache-Control` header.
    pub cache_control: Option<String>,
    /// The `Location` header (redirects, where the runtime shows it).
    pub location: Option<String>,
    /// The body.
    pub body: String,
}

impl TextResponse {
    /// True for any redirect answer.
    pub fn is_redirect(&self) -> bool {
        self.status == 0 || (300..400).contains(&self.status)
    }
}

/// Why a request got no HTTP answer.
pub enum FetchFailure {
    /// The runtime's message (offline, DNS, refused, CORS).
    Network(String),
    /// No answer within the timeout.
    Timeout,
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

fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = get(target, name)
        .ok_or_else(|| JsValue::from_str(&format!("{name} is not available")))?
        .dyn_into()?;
    method.apply(target, &args.iter().collect())
}

async fn settle(value: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&value)).await
}

/// Sends a request and reads the response body as text.
pub async fn send(request: &TextRequest<'_>) -> Result<TextResponse, FetchFailure> {
    let network = |e: JsValue| FetchFailure::Network(describe(&e));
    let global_this: JsValue = js_sys::global().into();
    let controller_class: Function = global("AbortController")
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| FetchFailure::Network("AbortController is not available".into()))?;
    let controller =
        Reflect::construct(&controller_class, &js_sys::Array::new()).map_err(network)?;
    let abort_target = controller.clone();
    let on_timeout = Closure::once(move || {
        let _ = call(&abort_target, "abort", &[]);
    });
    let timer = call(
        &global_this,
        "setTimeout",
        &[
            on_timeout.as_ref().clone(),
            JsValue::from(request.timeout_ms),
        ],
    )
    .map_err(network)?;
    let init: JsValue = Object::new().into();
    set(
        &init,
        "signal",
        &get(&controller, "signal").unwrap_or_default(),
    );
    set(&init, "redirect", &"manual".into());
    set(&init, "method", &request.method.into());
    let headers: JsValue = Object::new().into();
    if let Some(body) = request.json_body {
        set(&headers, "content-type", &"application/json".into());
        set(&init, "body", &body.into());
    }
    if let Some(token) = request.bearer {
        set(&headers, "authorization", &format!("Bearer {token}").into());
    }
    set(&init, "headers", &headers);
    let result = async {
        let response = settle(call(
            &global_this,
            "fetch",
            &[JsValue::from_str(request.url), init],
        )?)
        .await?;
        let opaque = get(&response, "type").and_then(|t| t.as_string());
        let status = get(&response, "status")
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0) as u16;
        let headers = get(&response, "headers").unwrap_or_default();
        let header = |name: &str| {
            call(&headers, "get", &[name.into()])
                .ok()
                .and_then(|v| v.as_string())
        };
        let body = if opaque.as_deref() == Some("opaqueredirect") {
            String::new()
        } else {
            settle(call(&response, "text", &[])?)
                .await?
                .as_string()
                .unwrap_or_default()
        };
        Ok(TextResponse {
            status,
            cache_control: header("cache-control"),
            location: header("location"),
            body,
        })
    }
    .await;
    let _ = call(&global_this, "clearTimeout", &[timer]);
    let aborted = get_path_bool(&controller, &["signal", "aborted"]);
    drop(on_timeout);
    match result {
        Err(_) if aborted => Err(FetchFailure::Timeout),
        Err(e) => Err(network(e)),
        Ok(response) => Ok(response),
    }
}

fn get_path_bool(target: &JsValue, path: &[&str]) -> bool {
    super::values::get_path(target, path).is_some_and(|v| v.is_truthy())
}
