//! Sign-in, sign-out and the OAuth / magic-link code exchange. Writes to storage happen under the
//! refresh lock, so a refresh in another tab can neither overwrite a new sign-in nor bring back
//! a signed-out session.

use std::rc::Rc;

use crate::core::shared::json::{Map, Value};

use super::calls::REQUEST_TIMEOUT_MS;
use super::{Mode, SessionCore};
use crate::core::client::dialect::{
    AppCall, Dialect, V2Api, api_sign_out_confirmed, route_sign_out_confirmed,
};
use crate::core::client::error::ClientError;
use crate::core::client::oauth::code_from_url;
use crate::core::client::platform::{Platform, TabMessage};
use crate::core::client::protocol::{
    FunctionKind, SignInResult, function_body, refresh_args, route_body, sign_in_result,
};
use crate::core::client::session::{Applied, Origin, Tokens};
use crate::core::client::storage::{TokenStore, read_tokens, write_tokens};
use crate::core::client::task::{Either, race};
use crate::core::shared::auth_wire::CODE_NOT_ACCEPTED;
use crate::core::shared::error::{Error, Result, truncate};
use crate::core::shared::json::{object, parse_value};
use crate::core::shared::web_url::WebUrl;

/// What a sign-in did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in: tokens are stored and current.
    SignedIn,
    /// The server answered `{"tokens":null}`: no session.
    SignedOut,
    /// OAuth / magic link: send the browser here.
    Redirect(String),
    /// An OTP or magic-link email was sent; the code comes back later.
    Started,
}

impl<P: Platform> SessionCore<P> {
    /// Calls `auth:signIn` with `args` (`{ provider, params }`, or `{ params: { code }, verifier }`).
    pub async fn sign_in(self: &Rc<Self>, args: Value) -> Result<SignInOutcome> {
        self.check_live()?;
        if self.dialect != Dialect::V0 {
            return Err(ClientError::SignInFailed {
                message: "signIn(provider, params) is Convex Auth 0.x's; with Convex Auth 2, sign \
                          in through the method's hook (e.g. useSignInWithUsernamePassword), which \
                          calls setSession"
                    .into(),
            }
            .into());
        }
        let value = match &self.mode {
            Mode::Cookie { route } => self.route_call(route, "auth:signIn", &args).await?,
            Mode::Direct => self
                .call_without_token(FunctionKind::Action, "auth:signIn", &args)
                .await
                .map_err(sign_in_error)?,
        };
        let with_code = args.get("params").and_then(|p| p.get("code")).is_some();
        let outcome = match sign_in_result(&value)? {
            SignInResult::Tokens(Some(tokens)) => self.signed_in(tokens).await,
            // A code Convex Auth does not accept (spent, expired, another browser's): this
            // sign-in failed; the session this browser has stays.
            SignInResult::Tokens(None) if with_code => {
                return Err(ClientError::SignInFailed {
                    message: CODE_NOT_ACCEPTED.to_owned(),
                }
                .into());
            }
            SignInResult::Tokens(None) => {
                self.signed_out().await;
                SignInOutcome::SignedOut
            }
            SignInResult::Redirect { redirect, verifier } => {
                let scheme = WebUrl::parse(&redirect).map(|url| url.scheme().to_owned());
                if !matches!(scheme.as_deref(), Ok("http" | "https")) {
                    return Err(ClientError::SignInRedirectRefused {
                        location: truncate(&redirect, 300),
                    }
                    .into());
                }
                if let Some(verifier) = verifier {
                    let _ = self.store.set(&self.keys.oauth_verifier, &verifier);
                }
                SignInOutcome::Redirect(redirect)
            }
            SignInResult::Started => SignInOutcome::Started,
        };
        self.after_change();
        Ok(outcome)
    }

    /// Signs out: ends the session here and in the other tabs, and on the server. An unreachable
    /// server never keeps anyone signed in locally; in cookie mode the call still fails then,
    /// because only the route can clear the httpOnly cookies (a reload would sign back in).
    pub async fn sign_out(self: &Rc<Self>) -> Result<()> {
        self.check_live()?;
        if let Dialect::V2(api) = &self.dialect {
            return self.sign_out_v2(api.clone()).await;
        }
        let token = self
            .session
            .borrow()
            .usable_token(self.platform.now())
            .map(str::to_owned);
        match &self.mode {
            Mode::Cookie { route } => {
                // The route clears the httpOnly cookies; its JWT cookie authenticates the call.
                let cleared = self
                    .route_call(route, "auth:signOut", &Value::Object(Map::new()))
                    .await;
                self.signed_out().await;
                self.after_change();
                return cleared.map(|_| ());
            }
            Mode::Direct => {
                // `auth:signOut` ends the session its bearer names: with the JWT expired, a
                // refresh first, or the refresh token would stay valid on the server.
                let token = match token {
                    Some(token) => Some(token),
                    None => self.refreshed_token().await,
                };
                self.signed_out().await;
                if let Some(token) = token {
                    let url = self.function_url(FunctionKind::Action);
                    let body = function_body("auth:signOut", &Value::Object(Map::new()));
                    let _ = self.post(&url, &body, Some(token)).await;
                }
            }
        }
        self.after_change();
        Ok(())
    }

    /// Convex Auth 2: ends the session here and in the other tabs at once, then asks the
    /// deployment (spa: `signOut` with the refresh token; ssr: the `/signout` route, which also
    /// clears the cookies). `ERR_SIGN_OUT_UNCONFIRMED` when it did not confirm — the session is
    /// over in this browser either way (except, in ssr mode, the cookies the route could not clear).
    async fn sign_out_v2(self: &Rc<Self>, api: V2Api) -> Result<()> {
        let ended = self.signed_out().await;
        self.after_change(); // signed out here now, whatever the deployment says or how long
        let cookie_mode = matches!(self.mode, Mode::Cookie { .. });
        let refresh_token = ended.filter(|_| !cookie_mode).map(|t| t.refresh_token);
        let confirmed = match (&self.mode, refresh_token) {
            // No session held here: nothing to end (in ssr mode the route clears the cookies).
            (Mode::Direct, None) => Ok(()),
            // Bounded, unlike a refresh: an abandoned sign-out re-sends nothing.
            (_, refresh_token) if api.via_app => {
                let call = self.call_app(AppCall::SignOut(refresh_token));
                let timeout = self.platform().sleep(f64::from(REQUEST_TIMEOUT_MS));
                match race(call, timeout).await {
                    Either::Left(answer) => answer.map(|_| ()).map_err(|error| error.to_string()),
                    Either::Right(()) => Err(format!("no answer within {REQUEST_TIMEOUT_MS} ms")),
                }
            }
            (Mode::Cookie { route }, _) => {
                match self.post(&format!("{route}/signout"), "{}", None).await {
                    Ok((status, text)) => route_sign_out_confirmed(status, &text),
                    Err(error) => Err(error.to_string()),
                }
            }
            (Mode::Direct, Some(refresh_token)) => {
                let url = self.function_url(FunctionKind::Mutation);
                let body = function_body(&api.sign_out, &refresh_args(&refresh_token));
                match self.post(&url, &body, None).await {
                    Ok((status, text)) => api_sign_out_confirmed(status, &text),
                    Err(error) => Err(error.to_string()),
                }
            }
        };
        confirmed.map_err(|reason| ClientError::SignOutUnconfirmed { reason }.into())
    }

    /// Convex Auth 2: adopts the session a sign-in method established (`setSession`).
    pub async fn set_session(self: &Rc<Self>, tokens: Tokens) -> Result<()> {
        self.check_live()?;
        let outcome = self.signed_in(tokens).await;
        self.after_change();
        match outcome {
            SignInOutcome::SignedIn => Ok(()),
            _ => Err(ClientError::SessionInvalid {
                reason: "its accessToken is not a JWT this session can read".into(),
            }
            .into()),
        }
    }

    /// A usable JWT after one refresh made now, whatever the backoff says (a sign-out is the
    /// user's last call, not a retry).
    async fn refreshed_token(self: &Rc<Self>) -> Option<String> {
        self.refresh().wait().await;
        self.session
            .borrow()
            .usable_token(self.platform.now())
            .map(str::to_owned)
    }

    /// Completes an OAuth / magic-link sign-in when `location` (the page URL) carries `?code=`:
    /// the code leaves the address bar first (it is single-use), then it is exchanged with the
    /// verifier kept at sign-in. Resolves `true` when that signed the user in.
    /// A failed exchange is also `getState().lastError` (nobody may await this call), and an
    /// OAuth sign-in that came back without a code says so there too.
    pub async fn handle_code(self: &Rc<Self>, location: &str) -> Result<bool> {
        self.check_live()?;
        if self.dialect != Dialect::V0 {
            return Ok(false); // Convex Auth 2's `?convexAuthCode=` is its OAuth method's own
        }
        let Some((code, cleaned)) = code_from_url(location) else {
            self.notice_unfinished_oauth();
            return Ok(false);
        };
        self.platform.replace_url(&cleaned);
        let verifier = self.store.get(&self.keys.oauth_verifier).ok().flatten();
        let _ = self.store.remove(&self.keys.oauth_verifier);
        let mut args = Map::new();
        args.insert("params".to_owned(), object([("code", code.into())]));
        if let Some(verifier) = verifier {
            args.insert("verifier".to_owned(), verifier.into());
        }
        match self.sign_in(Value::Object(args)).await {
            Ok(outcome) => Ok(outcome == SignInOutcome::SignedIn),
            Err(error) => {
                self.report(error.clone());
                Err(error)
            }
        }
    }

    /// A sign-in failure the server saw for this page (cookie mode: the middleware's exchange or
    /// an OAuth return without a code): `getState().lastError`, and a spent `?code=` leaves the
    /// address bar.
    pub fn report_sign_in_failure(self: &Rc<Self>, error: Error, location: &str) {
        if let Some((_, cleaned)) = code_from_url(location) {
            self.platform.replace_url(&cleaned);
        }
        self.report(error);
    }

    fn report(self: &Rc<Self>, error: Error) {
        self.session.borrow_mut().report(error);
        self.notify();
    }

    /// The page was reached from another site with no code while an OAuth sign-in this browser
    /// started is unfinished (its verifier kept): the provider refused it or it was cancelled,
    /// and Convex Auth sent the browser back with nothing. The verifier is spent.
    fn notice_unfinished_oauth(self: &Rc<Self>) {
        let unfinished = self
            .store
            .get(&self.keys.oauth_verifier)
            .ok()
            .flatten()
            .is_some();
        let from_elsewhere = self.platform.referrer().is_some_and(|referrer| {
            let origin = WebUrl::parse(&referrer).ok().and_then(|url| url.origin());
            origin.is_some() && origin != self.platform.page_origin()
        });
        if unfinished && from_elsewhere {
            let _ = self.store.remove(&self.keys.oauth_verifier);
            self.report(ClientError::SignInIncomplete.into());
        }
    }

    async fn signed_in(self: &Rc<Self>, tokens: Tokens) -> SignInOutcome {
        let guard = self.take_lock().await.ok().flatten();
        let now = self.platform.now();
        let applied = self
            .session
            .borrow_mut()
            .adopt(tokens.clone(), Origin::Received, now);
        if applied != Applied::Adopted {
            return SignInOutcome::SignedOut;
        }
        match &self.mode {
            Mode::Direct => {
                let _ = write_tokens(&self.store, &self.keys, Some(&tokens));
            }
            Mode::Cookie { .. } => self.platform.broadcast(&TabMessage::Token(tokens.token)),
        }
        self.release_later(guard);
        SignInOutcome::SignedIn
    }

    /// Ends the session under the lock; the tokens it ended (storage's, which another tab may
    /// have rotated, else this tab's).
    async fn signed_out(self: &Rc<Self>) -> Option<Tokens> {
        let guard = self.take_lock().await.ok().flatten();
        let stored = match self.mode {
            Mode::Direct => read_tokens(&self.store, &self.keys).ok().flatten(),
            Mode::Cookie { .. } => None,
        };
        let ended = stored.or_else(|| self.session.borrow().tokens().cloned());
        self.session.borrow_mut().sign_out();
        // An OAuth sign-in started and never finished leaves its verifier: not after sign-out.
        let _ = self.store.remove(&self.keys.oauth_verifier);
        match &self.mode {
            Mode::Direct => {
                let _ = write_tokens(&self.store, &self.keys, None);
            }
            Mode::Cookie { .. } => self.platform.broadcast(&TabMessage::SignedOut),
        }
        self.release_later(guard);
        ended
    }

    /// A call through the Next.js auth route (cookie mode): its JSON answer.
    async fn route_call(&self, route: &str, action: &str, args: &Value) -> Result<Value> {
        let (status, text) = self.post(route, &route_body(action, args), None).await?;
        let parsed = parse_value(text.as_bytes()).ok();
        match (status, parsed) {
            (200, Some(value)) => Ok(value),
            (_, Some(value)) if value.get("error").is_some_and(Value::is_string) => Ok(value),
            _ => Err(ClientError::HttpStatus {
                url: route.to_owned(),
                status,
                body: truncate(&text, 300),
            }
            .into()),
        }
    }
}

/// A sign-in call's failure: a function error becomes `ERR_SIGN_IN_FAILED` with its message.
fn sign_in_error(err: Error) -> Error {
    match err.client() {
        Some(ClientError::FunctionFailed { message, .. }) => ClientError::SignInFailed {
            message: message.clone(),
        }
        .into(),
        _ => err,
    }
}
