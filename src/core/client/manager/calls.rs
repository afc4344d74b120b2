//! Tokens for callers and calls to Convex functions over the HTTP API.

use std::rc::Rc;

use crate::core::shared::json::Value;

use super::SessionCore;
use crate::core::client::dialect::AppCall;
use crate::core::client::error::ClientError;
use crate::core::client::platform::{Platform, PostRequest, SendFailure};
use crate::core::client::protocol::{FunctionKind, function_body, function_result};
use crate::core::client::session::{Phase, Session};
use crate::core::shared::deployment::same_origin;
use crate::core::shared::error::{Error, Result, truncate};
use crate::core::shared::json::parse_value;

/// What a `fetchAccessToken` caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// `forceRefreshToken: false`: the current token (refreshed first only when none is usable).
    Current,
    /// Forced, by a client whose connection still works with the token it was given (the Convex
    /// client asks right after the server confirms a token, and again before it expires): the
    /// next token, when it is due — one refresh per lifetime, however often it asks.
    Successor,
    /// Forced, by a client whose token was rejected or whose connection is down: a newer token
    /// now (another tab's, or a refresh).
    Replacement,
}

/// Timeout of auth and HTTP API requests, in milliseconds.
pub const REQUEST_TIMEOUT_MS: u32 = 20_000;

impl<P: Platform> SessionCore<P> {
    /// A JWT for a caller. With `newer_than`, a token other than that one: the current token if
    /// it is already newer (another tab or this tab's timer refreshed), else after a refresh.
    /// Without, the current token, refreshing first only when there is none that is usable.
    /// `None` when signed out, or when no usable token could be had (the session is kept).
    /// While retries back off after failures, no new request is made.
    pub async fn access_token(self: &Rc<Self>, newer_than: Option<&str>) -> Option<String> {
        if self.disposed.get() {
            return None;
        }
        let must_refresh = {
            let session = self.session.borrow();
            let now = self.platform.now();
            let usable = session.usable_token(now);
            let wanted = match (newer_than, usable) {
                (Some(given), Some(current)) => given == current,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            wanted
                && session.phase() != Phase::SignedOut
                && (session.is_refreshing() || !session.backing_off(now))
        };
        if must_refresh {
            self.refresh().wait().await;
        } else {
            // A throttled timer may be late: a caller is a good moment to check.
            self.wake();
        }
        self.session
            .borrow()
            .usable_token(self.platform.now())
            .map(str::to_owned)
    }

    /// `fetchAccessToken` for `ConvexReactClient`. A forced fetch asks for a token newer than the
    /// one handed out last, which is remembered. `None` only once the session has ended: while
    /// it lives without a usable token, this waits for the next one.
    pub async fn fetch_access_token(self: &Rc<Self>, wanted: Wanted) -> Option<String> {
        let given = self.last_given.borrow().clone();
        let token = match (wanted, given) {
            (Wanted::Current, _) => self.access_token(None).await,
            (Wanted::Successor, Some(given)) => self.successor(&given).await,
            (Wanted::Replacement, Some(given)) => self.replacement(&given).await,
            (_, None) => self.forced_first().await,
        };
        let token = match token {
            Some(token) => Some(token),
            None => self.until_usable().await,
        };
        self.last_given.borrow_mut().clone_from(&token);
        token
    }

    /// A token to replace `given`, which the client's server refused: never `given` itself (the
    /// client would read it as "no new token" and drop its authentication for good). A refresh
    /// that fails leaves it waiting for the next attempt; `None` once the session has ended.
    async fn replacement(self: &Rc<Self>, given: &str) -> Option<String> {
        loop {
            if let Some(token) = self.access_token(Some(given)).await
                && token != given
            {
                return Some(token);
            }
            self.wake();
            let change = self.changes.borrow().clone();
            {
                let session = self.session.borrow();
                if let Some(token) = session.usable_token(self.platform.now())
                    && token != given
                {
                    return Some(token.to_owned());
                }
                if self.gives_up_waiting(&session) {
                    return None;
                }
            }
            change.wait().await;
        }
    }

    /// Waiting for a token ends: the manager is disposed, the session has ended, or refreshes
    /// fail in a way no wait will fix (see `Session::refresh_misconfigured`).
    fn gives_up_waiting(&self, session: &Session) -> bool {
        self.disposed.get()
            || session.phase() == Phase::SignedOut
            || session.refresh_misconfigured()
    }

    /// A Convex client handed `null` drops its authentication for good (it never asks again),
    /// so while the session lives — signed in, or loading — this waits for a usable token: the
    /// refresh in flight, or the next attempt after a backoff. `None` once the session has
    /// ended (signed out, the refresh token refused) or the manager is disposed.
    async fn until_usable(self: &Rc<Self>) -> Option<String> {
        loop {
            self.wake(); // a throttled timer may be late: make sure the next attempt is armed
            let change = self.changes.borrow().clone();
            {
                let session = self.session.borrow();
                if let Some(token) = session.usable_token(self.platform.now()) {
                    return Some(token.to_owned());
                }
                if self.gives_up_waiting(&session) {
                    return None;
                }
            }
            change.wait().await;
        }
    }

    /// The token that follows `given`, which the caller still uses: waits (no network) until
    /// this tab or another has refreshed, or until a refresh is due and makes one.
    async fn successor(self: &Rc<Self>, given: &str) -> Option<String> {
        loop {
            let change = self.changes.borrow().clone();
            let keep_waiting = {
                let session = self.session.borrow();
                let now = self.platform.now();
                !self.disposed.get()
                    && session.usable_token(now) == Some(given)
                    && !session.refresh_due(now)
            };
            if !keep_waiting {
                return self.access_token(Some(given)).await;
            }
            change.wait().await;
        }
    }

    /// A forced fetch with nothing handed out before: a fresh token.
    async fn forced_first(self: &Rc<Self>) -> Option<String> {
        let current = self.session.borrow().tokens().map(|t| t.token.clone());
        match current {
            Some(current) => self.access_token(Some(&current)).await,
            None => self.access_token(None).await,
        }
    }

    /// Runs a function over the HTTP API, with the JWT when there is one; a 401 with a token
    /// refreshes once and retries.
    pub async fn call_function(
        self: &Rc<Self>,
        kind: FunctionKind,
        path: &str,
        args: &Value,
    ) -> Result<Value> {
        self.check_live()?;
        let url = self.function_url(kind);
        let body = function_body(path, args);
        let token = self.access_token(None).await;
        let (status, text) = self.post(&url, &body, token.clone()).await?;
        if status == 401
            && let Some(used) = &token
            && let Some(fresh) = self.access_token(Some(used)).await
            && fresh != *used
        {
            let (status, text) = self.post(&url, &body, Some(fresh)).await?;
            return function_result(path, &url, status, &text);
        }
        function_result(path, &url, status, &text)
    }

    /// Runs a function with no token at all (sign-in and refresh: a stale JWT would fail them).
    pub(super) async fn call_without_token(
        &self,
        kind: FunctionKind,
        path: &str,
        args: &Value,
    ) -> Result<Value> {
        let url = self.function_url(kind);
        let (status, text) = self.post(&url, &function_body(path, args), None).await?;
        function_result(path, &url, status, &text)
    }

    pub(super) fn function_url(&self, kind: FunctionKind) -> String {
        format!(
            "{}{}",
            self.deployment.convex_url().as_str(),
            kind.endpoint()
        )
    }

    pub(super) fn check_live(&self) -> Result<()> {
        if self.disposed.get() {
            return Err(ClientError::Disposed.into());
        }
        Ok(())
    }

    /// A JSON `POST`; a redirect is refused, no answer is `ERR_NETWORK_OR_CORS`.
    pub(super) async fn post(
        &self,
        url: &str,
        body: &str,
        bearer: Option<String>,
    ) -> Result<(u16, String)> {
        self.post_within(url, body, bearer, REQUEST_TIMEOUT_MS)
            .await
    }

    /// [`SessionCore::post`], abandoned after `timeout_ms`.
    pub(super) async fn post_within(
        &self,
        url: &str,
        body: &str,
        bearer: Option<String>,
        timeout_ms: u32,
    ) -> Result<(u16, String)> {
        self.check_live()?;
        let request = PostRequest {
            url: url.to_owned(),
            body: body.to_owned(),
            bearer,
            timeout_ms,
        };
        match self.platform.post(request).await {
            Ok(response) if response.status == 0 || (300..400).contains(&response.status) => {
                Err(ClientError::RedirectRefused {
                    url: url.to_owned(),
                    status: response.status,
                    location: response.location.map(|l| truncate(&l, 300)),
                }
                .into())
            }
            Ok(response) => Ok((response.status, response.body)),
            Err(failure) => Err(self.network_error(url, failure)),
        }
    }

    /// Convex Auth 2: `call` through the app's own `authApi`; what it resolved with (`None`:
    /// `undefined`), or `ERR_FUNCTION_FAILED` naming the function when it rejected. Not timed
    /// out here: a refresh abandoned while the app's call still runs would be sent again with
    /// the same refresh token (Convex Auth 2 counts each unanswered rotation toward revoking the
    /// session), so the app's call owns its timeout and this tab's refresh waits for it.
    pub(super) async fn call_app(&self, call: AppCall) -> Result<Option<Value>> {
        self.check_live()?;
        let path = match call {
            AppCall::Refresh(_) => "authApi.refreshSession",
            AppCall::SignOut(_) => "authApi.signOut",
        };
        let failed = |message: String| -> Error {
            ClientError::FunctionFailed {
                path: path.to_owned(),
                message,
                data: None,
            }
            .into()
        };
        match self.platform.call_app(call).await {
            Ok(None) => Ok(None),
            Ok(Some(text)) => parse_value(text.as_bytes())
                .map(Some)
                .map_err(|_| failed("it resolved with a value that is not JSON".into())),
            Err(why) => Err(failed(truncate(&why, 300))),
        }
    }

    /// No HTTP answer: `ERR_NETWORK_OR_CORS`, flagged cross-origin when the page is elsewhere.
    pub fn network_error(&self, url: &str, failure: SendFailure) -> Error {
        let reason = match failure {
            SendFailure::Network(reason) => reason,
            SendFailure::Timeout => "no answer in time (the request was abandoned)".to_owned(),
        };
        ClientError::NetworkOrCors {
            url: url.to_owned(),
            reason,
            cross_origin: self
                .platform
                .page_origin()
                .is_some_and(|page| !same_origin(&page, url)),
        }
        .into()
    }
}
