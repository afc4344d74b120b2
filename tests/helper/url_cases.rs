//! URL cases both parsers behind `WebUrl` must agree on: the `url` crate (native suites) and the
//! runtime's `URL` (the wasm suites in Node and Chromium run the same table).

use convex_auth_wasm::core::shared::code::code_from_url;
use convex_auth_wasm::core::shared::web_url::WebUrl;

/// What a case must parse to: href, host, port, path, query, fragment, origin, credentials, loopback.
type Expected<'a> = (
    &'a str,
    Option<&'a str>,
    Option<u16>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
    bool,
);

#[rustfmt::skip]
const PARSED: &[(&str, Expected)] = &[
    ("https://Happy-Otter-123.convex.site/", ("https://happy-otter-123.convex.site/", Some("happy-otter-123.convex.site"), None, "/", None, None, Some("https://happy-otter-123.convex.site"), false, false)),
    (" https://a.convex.site:443/x?", ("https://a.convex.site/x?", Some("a.convex.site"), None, "/x", Some(""), None, Some("https://a.convex.site"), false, false)),
    ("https://a.convex.site/x#", ("https://a.convex.site/x#", Some("a.convex.site"), None, "/x", None, Some(""), Some("https://a.convex.site"), false, false)),
    ("HTTPS://A.CONVEX.SITE:8443", ("https://a.convex.site:8443/", Some("a.convex.site"), Some(8443), "/", None, None, Some("https://a.convex.site:8443"), false, false)),
    ("http://127.1:3211", ("http://127.0.0.1:3211/", Some("127.0.0.1"), Some(3211), "/", None, None, Some("http://127.0.0.1:3211"), false, true)),
    ("http://[0:0::1]:3000/p?q=1#f?", ("http://[::1]:3000/p?q=1#f?", Some("[::1]"), Some(3000), "/p", Some("q=1"), Some("f?"), Some("http://[::1]:3000"), false, true)),
    ("http://app.localhost:3000", ("http://app.localhost:3000/", Some("app.localhost"), Some(3000), "/", None, None, Some("http://app.localhost:3000"), false, true)),
    ("http://localhost.example.com", ("http://localhost.example.com/", Some("localhost.example.com"), None, "/", None, None, Some("http://localhost.example.com"), false, false)),
    ("http://127.evil.example", ("http://127.evil.example/", Some("127.evil.example"), None, "/", None, None, Some("http://127.evil.example"), false, false)),
    ("http://[::2]", ("http://[::2]/", Some("[::2]"), None, "/", None, None, Some("http://[::2]"), false, false)),
    ("http://192.168.1.2", ("http://192.168.1.2/", Some("192.168.1.2"), None, "/", None, None, Some("http://192.168.1.2"), false, false)),
    ("https://user:pw@a.convex.site", ("https://user:pw@a.convex.site/", Some("a.convex.site"), None, "/", None, None, Some("https://a.convex.site"), true, false)),
    ("https://:pw@a.convex.site", ("https://:pw@a.convex.site/", Some("a.convex.site"), None, "/", None, None, Some("https://a.convex.site"), true, false)),
    ("https://xn--bcher-kva.convex.site", ("https://xn--bcher-kva.convex.site/", Some("xn--bcher-kva.convex.site"), None, "/", None, None, Some("https://xn--bcher-kva.convex.site"), false, false)),
    ("data:text/plain,hi", ("data:text/plain,hi", None, None, "text/plain,hi", None, None, None, false, false)),
];

const JOINED: &[(&str, &str)] = &[
    ("/api/x?y=1", "https://a.convex.site/api/x?y=1"),
    ("api/x", "https://a.convex.site/api/x"),
    ("//evil.example/x", "https://evil.example/x"),
    ("https://b.convex.site/z", "https://b.convex.site/z"),
    ("/ü", "https://a.convex.site/%C3%BC"),
];

const REFUSED: &[(&str, &str)] = &[
    ("happy-otter-123.convex.site", "relative URL without a base"),
    ("https://", "invalid URL"),
    ("https://a b.convex.site", "invalid URL"),
    ("https://a%20b.convex.site", "invalid URL"),
    ("https://a<b.convex.site", "invalid URL"),
    (
        "https://bücher.convex.site",
        "non-ASCII host names are not supported",
    ),
];

/// OAuth returns: the code (decoded as `application/x-www-form-urlencoded`) and the URL without
/// it — `None` when there is no non-empty `code`.
#[rustfmt::skip]
const CODES: &[(&str, Option<(&str, &str)>)] = &[
    ("https://app.example/?code=abc", Some(("abc", "https://app.example/"))),
    ("https://app.example/p?x=1&code=a%20b+c&y=%zz#h", Some(("a b c", "https://app.example/p?x=1&y=%zz#h"))),
    ("https://app.example/?c%6Fde=x&keep", Some(("x", "https://app.example/?keep"))),
    ("https://app.example/?code=%C3%A9&code=second", Some(("é", "https://app.example/"))),
    ("https://app.example/?code=%FF%C3", Some(("\u{FFFD}\u{FFFD}", "https://app.example/"))),
    ("https://app.example/?code=a=b", Some(("a=b", "https://app.example/"))),
    ("https://app.example/??code=x", None),
    ("https://app.example/?code=", None),
    ("https://app.example/?code", None),
    ("https://app.example/?codes=x", None),
    ("https://app.example/?a=1#code=x", None),
    ("not a url?code=x", None),
];

/// Runs every case; panics on the first disagreement.
pub fn check_all() {
    for (input, expected) in PARSED {
        let url = WebUrl::parse(input.trim()).unwrap_or_else(|e| panic!("{input}: {e}"));
        let got = (
            url.as_str(),
            url.host(),
            url.port(),
            url.path(),
            url.query(),
            url.fragment(),
            url.origin(),
            url.has_credentials(),
            url.is_loopback(),
        );
        let want = expected;
        assert_eq!(
            (got.0, got.1, got.2, got.3, got.4, got.5),
            (want.0, want.1, want.2, want.3, want.4, want.5),
            "{input}"
        );
        assert_eq!(got.6.as_deref(), want.6, "{input}: origin");
        assert_eq!(
            (got.7, got.8),
            (want.7, want.8),
            "{input}: credentials, loopback"
        );
    }
    let base = WebUrl::parse("https://a.convex.site").unwrap();
    for (input, expected) in JOINED {
        assert_eq!(base.join(input).unwrap().as_str(), *expected, "{input}");
    }
    for (input, reason) in REFUSED {
        assert_eq!(WebUrl::parse(input), Err(*reason), "{input}");
    }
    for (location, expected) in CODES {
        let got = code_from_url(location);
        let got = got
            .as_ref()
            .map(|(code, rest)| (code.as_str(), rest.as_str()));
        assert_eq!(got, *expected, "{location}");
    }
    let url = WebUrl::parse("https://a.example/x?code=1&b=2#h?").unwrap();
    assert_eq!(url.with_query(Some("b=2")), "https://a.example/x?b=2#h?");
    assert_eq!(url.with_query(None), "https://a.example/x#h?");
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.authority(), "a.example");
}
