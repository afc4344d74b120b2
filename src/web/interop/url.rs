//! The runtime's WHATWG `URL` parser, for the core's URL type (`core::shared::web_url`).

use web_sys::{Url, UrlSearchParams};

use crate::core::shared::web_url::UrlParts;

/// `new URL(input, base)`, read into plain parts; `None` when the runtime refuses it.
pub fn parse_parts(input: &str, base: Option<&str>) -> Option<UrlParts> {
    let url = match base {
        Some(base) => Url::new_with_base(input, base),
        None => Url::new(input),
    }
    .ok()?;
    let href = url.href();
    // `search` and `hash` are "" both when absent and when empty: the serialisation tells.
    let (before_hash, hash) = match href.split_once('#') {
        Some((before, _)) => (
            before,
            Some(url.hash().get(1..).unwrap_or_default().to_owned()),
        ),
        None => (href.as_str(), None),
    };
    let query = before_hash
        .contains('?')
        .then(|| url.search().get(1..).unwrap_or_default().to_owned());
    Some(UrlParts {
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        host: url.hostname(),
        port: url.port().parse().ok(),
        path: url.pathname(),
        query,
        fragment: hash,
        href,
    })
}

/// `core::shared::web_url::form_value` with the runtime's `URLSearchParams`. The pair is given
/// after a `&`, so a leading `?` stays part of its key (the constructor drops one at the start).
pub fn form_value(pair: &str, name: &str) -> Option<String> {
    let params = UrlSearchParams::new_with_str(&format!("&{pair}")).ok()?;
    params.get(name)
}
