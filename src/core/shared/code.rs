//! OAuth and magic-link returns: the provider sends the browser back to the app with `?code=…`,
//! which is exchanged (with the PKCE verifier kept at sign-in) for tokens — in the browser, or by
//! the Next.js middleware.

use super::web_url::{WebUrl, form_value};

/// The code in a page URL, and the URL without it (codes are single-use: a reload must not
/// replay one). `None` when there is no non-empty `code` parameter. The other parameters are
/// kept exactly as they were written.
pub fn code_from_url(location: &str) -> Option<(String, String)> {
    let url = WebUrl::parse(location).ok()?;
    let query = url.query()?;
    let code = query
        .split('&')
        .find_map(code_value)
        .filter(|code| !code.is_empty())?;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && code_value(pair).is_none())
        .collect();
    let rest = Some(rest.join("&")).filter(|r| !r.is_empty());
    Some((code, url.with_query(rest.as_deref())))
}

/// The decoded value of a `code=…` pair (`code` alone has an empty one); `None` for other keys.
fn code_value(pair: &str) -> Option<String> {
    form_value(pair, "code")
}
