//! The authed fetch's rules: where the token may go, what happens on a redirect, and when a 401
//! is worth one retry.

use super::error::ClientError;
use crate::core::shared::deployment::Deployment;
use crate::core::shared::error::{ErrorKind, Result};
use crate::core::shared::web_url::WebUrl;

/// Resolves a request target: a relative path resolves against the site URL; an absolute URL
/// must be on the site origin. Anything else is refused before any request is made.
pub fn resolve_site_request(deployment: &Deployment, target: &str) -> Result<WebUrl> {
    let site = deployment.site_url();
    let url = site
        .url()
        .join(target)
        .map_err(|reason| ErrorKind::UrlInvalid {
            url: target.to_owned(),
            reason: reason.to_owned(),
        })?;
    if url.origin() != site.url().origin() {
        return Err(ClientError::ForeignOrigin {
            url: url.as_str().to_owned(),
            allowed_origin: site.as_str().to_owned(),
            cloud_origin: url.origin() == deployment.convex_url().url().origin(),
        }
        .into());
    }
    if url.has_credentials() {
        return Err(ErrorKind::UrlInvalid {
            url: target.to_owned(),
            reason: "URLs with a user name or password cannot be fetched".to_owned(),
        }
        .into());
    }
    Ok(url)
}

/// The `redirect` mode of an authed request: the caller's choice, else `"manual"` — a redirect is
/// never followed by default, since a 307/308 re-sends the body (and an engine may keep the
/// Authorization header) to wherever it points.
pub fn redirect_mode(caller: Option<&str>) -> &str {
    caller
        .filter(|mode| is_redirect_mode(mode))
        .unwrap_or("manual")
}

/// One of fetch's `redirect` modes (anything else counts as not given).
fn is_redirect_mode(mode: &str) -> bool {
    matches!(mode, "follow" | "error" | "manual")
}

/// What the authed fetch does with an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchVerdict {
    /// Hand the response to the caller.
    Return,
    /// Refresh the token once and send the request again.
    RetryWithNewToken,
    /// A redirect the caller did not ask to follow: refuse it with `ERR_REDIRECT_REFUSED`.
    RefuseRedirect,
}

/// Judges an answer to an authed request.
///
/// `opaque_redirect` is the browser's hidden redirect (status 0); `caller_redirect` the
/// `redirect` the caller passed, if any (a valid choice is honoured as is; an invalid one is
/// no choice). A 401 is retried once,
/// and only when the body can be sent again (absent, a string, bytes or form data — not a
/// stream, which the first attempt consumed).
pub fn judge_response(
    status: u16,
    opaque_redirect: bool,
    caller_redirect: Option<&str>,
    body_replayable: bool,
    first_attempt: bool,
) -> FetchVerdict {
    let is_redirect = opaque_redirect || ((300..400).contains(&status) && status != 304);
    if is_redirect && !caller_redirect.is_some_and(is_redirect_mode) {
        return FetchVerdict::RefuseRedirect;
    }
    if status == 401 && body_replayable && first_attempt {
        return FetchVerdict::RetryWithNewToken;
    }
    FetchVerdict::Return
}
