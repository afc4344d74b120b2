//! The verifier's keys: inline, or fetched from the site origin with one fetch in flight at a
//! time, freshness from `Cache-Control`, and stale keys serving while refreshes fail.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::edge::EdgeError;
use crate::core::edge::jwks::KeySet;
use crate::core::edge::key_schedule::{KeysPlan, RemoteKeys};
use crate::core::shared::error::Error;
use crate::web::interop::errors::to_js_error;
use crate::web::interop::fetch::{FetchFailure, TextRequest, send};
use crate::web::interop::promise::promise;
use crate::web::interop::values::now_seconds;

/// Where a verifier's keys come from.
pub enum KeyStore {
    /// Given at construction; never changes.
    Inline(Rc<KeySet>),
    /// Fetched from a URL.
    Remote(Rc<RemoteStore>),
}

/// What `jwksStatus` reports about a fetched JWKS.
pub struct RemoteStatus {
    /// The JWKS URL.
    pub url: String,
    /// When the current keys were fetched (seconds).
    pub fetched_at: Option<i64>,
    /// Until when they are fresh (seconds).
    pub fresh_until: Option<i64>,
    /// The last refresh failure.
    pub last_error: Option<Error>,
}

/// A fetched JWKS and its bookkeeping.
pub struct RemoteStore {
    /// The JWKS URL.
    pub url: String,
    timeout_ms: u32,
    state: RefCell<RemoteKeys>,
    in_flight: RefCell<Option<Promise>>,
    on_error: Option<Function>,
}

impl KeyStore {
    /// A remote store that has fetched nothing yet.
    pub fn remote(url: String, timeout_ms: u32, on_error: Option<Function>) -> Self {
        KeyStore::Remote(Rc::new(RemoteStore {
            url,
            timeout_ms,
            state: RefCell::new(RemoteKeys::new()),
            in_flight: RefCell::new(None),
            on_error,
        }))
    }

    /// The keys usable at `now` without waiting, if any.
    pub fn current(&self, now: i64) -> Option<Rc<KeySet>> {
        match self {
            KeyStore::Inline(keys) => Some(keys.clone()),
            KeyStore::Remote(store) => store.state.borrow().keys(now).cloned(),
        }
    }

    /// The keys to verify with right now without waiting: `None` when they must be fetched
    /// first. Stale keys start a background refresh.
    pub fn usable_now(&self, now: i64) -> Option<Rc<KeySet>> {
        let KeyStore::Remote(store) = self else {
            return self.current(now);
        };
        let plan = store.state.borrow().plan(now);
        match plan {
            KeysPlan::Use => {}
            KeysPlan::UseAndRefresh => {
                let _ = store.refresh();
            }
            KeysPlan::FetchFirst | KeysPlan::Fail(_) => return None,
        }
        self.current(now)
    }

    /// True for a fetched key set (which a refetch might change).
    pub fn is_remote(&self) -> bool {
        matches!(self, KeyStore::Remote(_))
    }

    /// The keys usable now, or why there are none (for synchronous verification).
    pub fn current_or_error(&self, now: i64) -> Result<Rc<KeySet>, Error> {
        match self {
            KeyStore::Inline(keys) => Ok(keys.clone()),
            KeyStore::Remote(store) => store.current_or_error(now),
        }
    }

    /// The keys for a synchronous verification at `now`. Stale keys serve and start a refresh
    /// in the background; with none usable a fetch starts (unless one failed moments ago) and
    /// the error says so, so a later call finds them.
    pub fn for_verify_sync(&self, now: i64) -> Result<Rc<KeySet>, Error> {
        if let Some(keys) = self.usable_now(now) {
            return Ok(keys);
        }
        let KeyStore::Remote(store) = self else {
            return self.current_or_error(now);
        };
        let plan = store.state.borrow().plan(now);
        match plan {
            KeysPlan::Fail(err) => Err(err),
            _ => {
                let _ = store.refresh();
                store.current_or_error(now)
            }
        }
    }

    /// After a synchronous check found no key for the token: start a refetch in the background
    /// when the cooldown allows (a rotated key is then found by a later call).
    pub fn refetch_in_background(&self, now: i64) {
        if let KeyStore::Remote(store) = self
            && store.state.borrow().may_refetch(now)
        {
            let _ = store.refresh();
        }
    }

    /// The keys for a verification at `now`: fetched first when there are none, refreshed in the
    /// background when stale.
    pub async fn for_verify(&self, now: i64) -> Result<Rc<KeySet>, Error> {
        if let Some(keys) = self.usable_now(now) {
            return Ok(keys);
        }
        let KeyStore::Remote(store) = self else {
            return self.current_or_error(now);
        };
        let plan = store.state.borrow().plan(now);
        if let KeysPlan::Fail(err) = plan {
            return Err(err);
        }
        let _ = JsFuture::from(store.refresh()).await;
        store.current_or_error(now_seconds())
    }

    /// After a token's key was not found: refetch once if the cooldown allows. Resolves true when
    /// the keys changed (worth verifying again).
    pub async fn refetch_for_missing_key(&self, now: i64) -> bool {
        let KeyStore::Remote(store) = self else {
            return false;
        };
        if !store.state.borrow().may_refetch(now) {
            return false;
        }
        JsFuture::from(store.refresh())
            .await
            .is_ok_and(|changed| changed.is_truthy())
    }

    /// Bookkeeping for `jwksStatus`; `None` for inline keys.
    pub fn remote_status(&self) -> Option<RemoteStatus> {
        let KeyStore::Remote(store) = self else {
            return None;
        };
        let state = store.state.borrow();
        Some(RemoteStatus {
            url: store.url.clone(),
            fetched_at: state.fetched_at(),
            fresh_until: state.fresh_until(),
            last_error: state.last_error().cloned(),
        })
    }
}

impl RemoteStore {
    fn current_or_error(&self, now: i64) -> Result<Rc<KeySet>, Error> {
        let state = self.state.borrow();
        state.keys(now).cloned().ok_or_else(|| {
            state.last_error().cloned().unwrap_or_else(|| {
                EdgeError::JwksFetchFailed {
                    url: self.url.clone(),
                    status: None,
                    reason: if state.fetched_at().is_some() {
                        "the fetched keys expired and a refetch has started (await \
                         verifier.ready() before verifySync, or use verify)"
                    } else {
                        "the keys have not been fetched yet (await verifier.ready() before \
                         verifySync, or use verify)"
                    }
                    .to_owned(),
                }
                .into()
            })
        })
    }

    /// Starts a fetch unless one is in flight; the promise resolves with `true` when the keys
    /// changed and never rejects (failures are recorded and reported to `onJwksError`).
    fn refresh(self: &Rc<Self>) -> Promise {
        if let Some(in_flight) = self.in_flight.borrow().as_ref() {
            return in_flight.clone();
        }
        self.state.borrow_mut().started(now_seconds());
        let this = self.clone();
        let promise = promise(async move {
            let outcome = this.fetch_keys().await;
            let now = now_seconds();
            let changed = match outcome {
                Ok((keys, cache_control)) => {
                    this.state
                        .borrow_mut()
                        .fetched(keys, cache_control.as_deref(), now)
                }
                Err(err) => {
                    if let Some(on_error) = &this.on_error {
                        let _ = on_error.call1(&JsValue::NULL, &to_js_error(&err));
                    }
                    this.state.borrow_mut().failed(err);
                    false
                }
            };
            this.in_flight.borrow_mut().take();
            Ok(JsValue::from_bool(changed))
        });
        *self.in_flight.borrow_mut() = Some(promise.clone());
        promise
    }

    async fn fetch_keys(&self) -> Result<(KeySet, Option<String>), Error> {
        let failed = |status: Option<u16>, reason: String| -> Error {
            EdgeError::JwksFetchFailed {
                url: self.url.clone(),
                status,
                reason,
            }
            .into()
        };
        let request = TextRequest {
            method: "GET",
            url: &self.url,
            json_body: None,
            bearer: None,
            timeout_ms: self.timeout_ms,
        };
        let response = send(&request).await.map_err(|failure| match failure {
            FetchFailure::Network(reason) => failed(None, reason),
            FetchFailure::Timeout => {
                failed(None, format!("timed out after {} ms", self.timeout_ms))
            }
        })?;
        if response.is_redirect() {
            let to = response
                .location
                .as_deref()
                .unwrap_or("a location the runtime hides");
            return Err(failed(
                Some(response.status),
                format!(
                    "it answered with a redirect to {to}, which is not followed; set jwksUrl to the final URL"
                ),
            ));
        }
        if response.status != 200 {
            return Err(failed(
                Some(response.status),
                format!("HTTP {}", response.status),
            ));
        }
        let keys = KeySet::parse(&response.body)?;
        Ok((keys, response.cache_control))
    }
}
