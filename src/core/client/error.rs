//! The session manager's error kinds and their corrective messages.

use std::fmt;

use crate::core::shared::error::{Error, ErrorKind};

/// What went wrong in the browser session (sign-in, refresh, requests, storage).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// `ERR_FOREIGN_ORIGIN`: a request that would carry the token to another origin.
    ForeignOrigin {
        /// The requested URL.
        url: String,
        /// The only origin tokens may be sent to.
        allowed_origin: String,
        /// Set when the URL is the deployment's `.convex.cloud` origin.
        cloud_origin: bool,
    },
    /// `ERR_REDIRECT_REFUSED`: the server answered with a redirect, which is never followed with
    /// credentials (the token or a refresh token could reach another origin).
    RedirectRefused {
        /// The URL requested.
        url: String,
        /// The redirect status (0 when the browser hides it).
        status: u16,
        /// Where it pointed, when the runtime shows it.
        location: Option<String>,
    },
    /// `ERR_REDIRECT_REFUSED`: a sign-in answered with somewhere to send the browser that is
    /// not an `http(s)` URL (`javascript:`, `data:`…); the page is not navigated there.
    SignInRedirectRefused {
        /// Where it pointed.
        location: String,
    },
    /// `ERR_STORAGE_UNAVAILABLE`: the requested storage cannot be used.
    StorageUnavailable {
        /// Which storage, e.g. `"localStorage"`.
        storage: String,
        /// Why.
        reason: String,
    },
    /// `ERR_NETWORK_OR_CORS`: the request never got an HTTP answer (offline, DNS, refused
    /// connection, a timeout, or — in browsers, indistinguishably — a CORS refusal).
    NetworkOrCors {
        /// The URL requested.
        url: String,
        /// The runtime's message.
        reason: String,
        /// True when the URL is cross-origin for the page, so CORS may be the cause.
        cross_origin: bool,
    },
    /// `ERR_HTTP_STATUS`: an HTTP answer that is neither success nor a function error.
    HttpStatus {
        /// The URL requested.
        url: String,
        /// The status.
        status: u16,
        /// The start of the body (an error code and message, usually).
        body: String,
    },
    /// `ERR_FUNCTION_FAILED`: a Convex function threw (HTTP 560).
    FunctionFailed {
        /// The function, e.g. `"messages:send"`.
        path: String,
        /// `errorMessage`.
        message: String,
        /// `errorData` as JSON text, when the function threw a `ConvexError`.
        data: Option<String>,
    },
    /// `ERR_SIGN_IN_FAILED`: `auth:signIn` refused the credentials or the flow.
    SignInFailed {
        /// The server's message.
        message: String,
    },
    /// `ERR_SIGN_IN_INCOMPLETE`: an OAuth sign-in came back to the app without a code — the
    /// provider refused it or the user cancelled (Convex Auth then sends the browser back with
    /// nothing; the deployment's logs say why).
    SignInIncomplete,
    /// `ERR_REFRESH_REJECTED`: the server ended the session (`{"tokens":null}`).
    RefreshRejected,
    /// `ERR_NOT_SIGNED_IN`: an authenticated call without a session.
    NotSignedIn,
    /// `ERR_DISPOSED`: the session manager was disposed.
    Disposed,
    /// `ERR_LOCK_TIMEOUT`: another tab held the refresh lock too long; retried later.
    LockTimeout {
        /// How long this tab waited, in milliseconds.
        waited_ms: u32,
    },
    /// `ERR_SESSION_INVALID`: Convex Auth 2 — a session handed to `setSession`, or one a refresh
    /// returned, that this mode cannot keep.
    SessionInvalid {
        /// What is wrong with it.
        reason: String,
    },
    /// `ERR_SIGN_OUT_UNCONFIRMED`: Convex Auth 2 — signed out here (storage or cookies cleared),
    /// but the deployment did not confirm the session's end.
    SignOutUnconfirmed {
        /// Why not.
        reason: String,
    },
}

/// Every code a [`ClientError`] can carry.
pub const CLIENT_ERROR_CODES: &[&str] = &[
    "ERR_FOREIGN_ORIGIN",
    "ERR_REDIRECT_REFUSED",
    "ERR_STORAGE_UNAVAILABLE",
    "ERR_NETWORK_OR_CORS",
    "ERR_HTTP_STATUS",
    "ERR_FUNCTION_FAILED",
    "ERR_SIGN_IN_FAILED",
    "ERR_SIGN_IN_INCOMPLETE",
    "ERR_REFRESH_REJECTED",
    "ERR_NOT_SIGNED_IN",
    "ERR_DISPOSED",
    "ERR_LOCK_TIMEOUT",
    "ERR_SESSION_INVALID",
    "ERR_SIGN_OUT_UNCONFIRMED",
    // Raised by the browser loader (js/client), where the module cannot answer yet: a helper
    // called before `ready()`, and a session whose module could not be loaded.
    "ERR_MODULE_NOT_READY",
    "ERR_MODULE_LOAD_FAILED",
];

impl ClientError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::ForeignOrigin { .. } => "ERR_FOREIGN_ORIGIN",
            ClientError::RedirectRefused { .. } | ClientError::SignInRedirectRefused { .. } => {
                "ERR_REDIRECT_REFUSED"
            }
            ClientError::StorageUnavailable { .. } => "ERR_STORAGE_UNAVAILABLE",
            ClientError::NetworkOrCors { .. } => "ERR_NETWORK_OR_CORS",
            ClientError::HttpStatus { .. } => "ERR_HTTP_STATUS",
            ClientError::FunctionFailed { .. } => "ERR_FUNCTION_FAILED",
            ClientError::SignInFailed { .. } => "ERR_SIGN_IN_FAILED",
            ClientError::SignInIncomplete => "ERR_SIGN_IN_INCOMPLETE",
            ClientError::RefreshRejected => "ERR_REFRESH_REJECTED",
            ClientError::NotSignedIn => "ERR_NOT_SIGNED_IN",
            ClientError::Disposed => "ERR_DISPOSED",
            ClientError::LockTimeout { .. } => "ERR_LOCK_TIMEOUT",
            ClientError::SessionInvalid { .. } => "ERR_SESSION_INVALID",
            ClientError::SignOutUnconfirmed { .. } => "ERR_SIGN_OUT_UNCONFIRMED",
        }
    }
}

impl From<ClientError> for Error {
    fn from(kind: ClientError) -> Self {
        ErrorKind::Client(kind).into()
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::ForeignOrigin {
                url,
                allowed_origin,
                cloud_origin,
            } => {
                write!(
                    f,
                    "refused to send the access token to {url}: only {allowed_origin} may receive it"
                )?;
                if *cloud_origin {
                    write!(
                        f,
                        " — HTTP actions are served from the .convex.site URL, not .convex.cloud; \
                         use a path such as \"/myAction\" or a URL on {allowed_origin}"
                    )?;
                }
                Ok(())
            }
            ClientError::RedirectRefused {
                url,
                status,
                location,
            } => {
                write!(f, "{url} answered with a redirect")?;
                if *status != 0 {
                    write!(f, " (HTTP {status})")?;
                }
                if let Some(location) = location {
                    write!(f, " to {location}")?;
                }
                write!(
                    f,
                    "; redirects are not followed with credentials, so the token and the request \
                     body never reach another origin — request the final URL directly, or pass \
                     redirect: \"follow\" to fetch if you trust the target"
                )
            }
            ClientError::SignInRedirectRefused { location } => write!(
                f,
                "auth:signIn asked to send the browser to {location}, which is not an http(s) URL; \
                 the page stays where it is"
            ),
            ClientError::StorageUnavailable { storage, reason } => write!(
                f,
                "{storage} is unavailable ({reason}); tokens are kept in memory for this page only"
            ),
            ClientError::NetworkOrCors {
                url,
                reason,
                cross_origin,
            } => {
                write!(f, "the request to {url} got no HTTP answer ({reason})")?;
                if *cross_origin {
                    write!(
                        f,
                        " — if the server is up, this is CORS: the HTTP action must answer OPTIONS \
                         (preflight) and send Access-Control-Allow-Origin for this page's origin \
                         (and Access-Control-Allow-Headers: Authorization, Content-Type)"
                    )?;
                }
                Ok(())
            }
            ClientError::HttpStatus { url, status, body } => {
                write!(f, "{url} answered HTTP {status}: {body}")
            }
            ClientError::FunctionFailed {
                path,
                message,
                data,
            } => {
                write!(f, "{path} failed: {message}")?;
                match data {
                    Some(data) => write!(f, " (errorData: {data})"),
                    None => Ok(()),
                }
            }
            // The deployment's own text, as the official client shows it (apps match on it).
            ClientError::SignInFailed { message } => f.write_str(message),
            ClientError::SignInIncomplete => f.write_str(
                "the sign-in came back without a code: the provider refused it or it was \
                 cancelled (the deployment's logs say why); sign in again",
            ),
            ClientError::RefreshRejected => write!(
                f,
                "the session has ended (the server refused the refresh token): sign in again"
            ),
            ClientError::NotSignedIn => write!(f, "not signed in: sign in before calling this"),
            ClientError::Disposed => write!(f, "this SessionManager was disposed"),
            ClientError::LockTimeout { waited_ms } => write!(
                f,
                "waited {waited_ms} ms for the refresh lock held by another tab; the refresh is \
                 retried later"
            ),
            ClientError::SessionInvalid { reason } => {
                write!(f, "the session was not kept: {reason}")
            }
            ClientError::SignOutUnconfirmed { reason } => write!(
                f,
                "signed out in this browser, but the deployment did not confirm that the session                  ended ({reason}): it lasts there until its refresh token expires"
            ),
        }
    }
}
