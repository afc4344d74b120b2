//! OAuth and magic-link returns: the provider sends the browser back to the app with `?code=…`,
//! which is exchanged (with the PKCE verifier kept at sign-in) for tokens — in the browser, or by
//! the Next.js middleware.

use url::Url;

/// The code in a page URL, and the URL without it (codes are single-use: a reload must not
/// replay one). `None` when there is no non-empty `code` parameter.
pub fn code_from_url(location: &str) -> Option<(String, String)> {
    let mut url = Url::parse(location).ok()?;
    let code = url
        .query_pairs()
        .find(|(key, _)| key == "code")
        .map(|(_, value)| value.into_owned())
        .filter(|code| !code.is_empty())?;
    let rest: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "code")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if rest.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(rest);
    }
    Some((code, url.into()))
}
