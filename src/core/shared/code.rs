//! OAuth and magic-link returns: the provider sends the browser back to the app with `?code=…`,
//! which is exchanged (with the PKCE verifier kept at sign-in) for tokens — in the browser, or by
//! the Next.js middleware.

use super::web_url::WebUrl;

/// The code in a page URL, and the URL without it (codes are single-use: a reload must not
/// replay one). `None` when there is no non-empty `code` parameter. The other parameters are
/// kept exactly as they were written.
pub fn code_from_url(location: &str) -> Option<(String, String)> {
    let url = WebUrl::parse(location).ok()?;
    let query = url.query()?;
    let is_code =
        |pair: &&str| form_urlencoded::parse(pair.as_bytes()).any(|(key, _)| key == "code");
    let code = query
        .split('&')
        .filter(is_code)
        .find_map(|pair| form_urlencoded::parse(pair.as_bytes()).next())
        .map(|(_, value)| value.into_owned())
        .filter(|code| !code.is_empty())?;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_code(pair))
        .collect();
    let rest = Some(rest.join("&")).filter(|r| !r.is_empty());
    Some((code, url.with_query(rest.as_deref())))
}
