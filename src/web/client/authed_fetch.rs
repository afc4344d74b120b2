//! `session.fetch`: the JWT goes only to the deployment's site origin, redirects are not
//! followed unless the caller asks, and a 401 refreshes once and retries — when the body can be
//! sent again.

use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::platform::WebSession;
use crate::core::client::ClientError;
use crate::core::client::fetch_policy::{
    FetchVerdict, judge_response, redirect_mode, resolve_site_request,
};
use crate::core::client::platform::SendFailure;
use crate::core::shared::error::{Error, truncate};
use crate::web::interop::errors::to_js_error;
use crate::web::interop::values::{describe, get, global, option_value, set};

fn js(err: Error) -> JsValue {
    to_js_error(&err)
}

/// Fetches `input` (a path or a URL on the site origin) with the session's JWT.
pub async fn authed_fetch(
    session: &Rc<WebSession>,
    input: &str,
    init: &JsValue,
) -> Result<JsValue, JsValue> {
    if session.is_disposed() {
        return Err(js(ClientError::Disposed.into()));
    }
    let url = resolve_site_request(session.deployment(), input).map_err(js)?;
    let url = url.as_str();
    let token = session
        .access_token(None)
        .await
        .ok_or_else(|| js(ClientError::NotSignedIn.into()))?;
    let caller_redirect = option_value(init, "redirect")?.and_then(|r| r.as_string());
    let replayable = body_replayable(init);
    let mut response = send(session, url, init, &token, caller_redirect.as_deref()).await?;
    for first_attempt in [true, false] {
        let (status, opaque) = status_of(&response);
        match judge_response(
            status,
            opaque,
            caller_redirect.as_deref(),
            replayable,
            first_attempt,
        ) {
            FetchVerdict::Return => break,
            FetchVerdict::RefuseRedirect => {
                let location = header(&response, "location");
                return Err(js(ClientError::RedirectRefused {
                    url: url.to_owned(),
                    status,
                    location: location.map(|l| truncate(&l, 300)),
                }
                .into()));
            }
            FetchVerdict::RetryWithNewToken => match session.access_token(Some(&token)).await {
                Some(fresh) if fresh != token => {
                    response = send(session, url, init, &fresh, caller_redirect.as_deref()).await?;
                }
                _ => break,
            },
        }
    }
    Ok(response)
}

/// True unless the body is a stream (consumed by the first attempt).
fn body_replayable(init: &JsValue) -> bool {
    match option_value(init, "body").ok().flatten() {
        None => true,
        Some(body) => body.is_string() || get(&body, "getReader").is_none(),
    }
}

fn status_of(response: &JsValue) -> (u16, bool) {
    let status = get(response, "status")
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0) as u16;
    let opaque = get(response, "type").and_then(|t| t.as_string());
    (status, opaque.as_deref() == Some("opaqueredirect"))
}

fn header(response: &JsValue, name: &str) -> Option<String> {
    let headers = get(response, "headers")?;
    let get_header: Function = get(&headers, "get")?.dyn_into().ok()?;
    get_header.call1(&headers, &name.into()).ok()?.as_string()
}

async fn send(
    session: &Rc<WebSession>,
    url: &str,
    init: &JsValue,
    token: &str,
    caller_redirect: Option<&str>,
) -> Result<JsValue, JsValue> {
    let headers_class: Function = global("Headers")
        .ok_or_else(|| JsValue::from_str("Headers is not available"))?
        .dyn_into()?;
    let given = option_value(init, "headers")?.unwrap_or(JsValue::UNDEFINED);
    let headers = js_sys::Reflect::construct(&headers_class, &js_sys::Array::of1(&given))?;
    let set_header: Function = get(&headers, "set")
        .ok_or_else(|| JsValue::from_str("Headers.set is not available"))?
        .dyn_into()?;
    set_header.call2(
        &headers,
        &"authorization".into(),
        &format!("Bearer {token}").into(),
    )?;
    let source = if init.is_object() {
        Object::from(init.clone())
    } else {
        Object::new()
    };
    let request_init: JsValue = Object::assign(&Object::new(), &source).into();
    set(&request_init, "headers", &headers);
    set(
        &request_init,
        "redirect",
        &redirect_mode(caller_redirect).into(),
    );
    let fetch: Function = global("fetch")
        .ok_or_else(|| JsValue::from_str("fetch is not available"))?
        .dyn_into()?;
    let promise: Promise = fetch
        .call2(&js_sys::global(), &url.into(), &request_init)?
        .dyn_into()?;
    JsFuture::from(promise)
        .await
        .map_err(|e| js(session.network_error(url, SendFailure::Network(describe(&e)))))
}
