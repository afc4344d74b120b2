//! WHATWG URLs, parsed by the algorithm browsers and `fetch` use, so an origin compared here is
//! the origin a request would really reach.
//!
//! The parser is chosen when compiling: native builds (tests, benches, fuzzing) use the `url`
//! crate; wasm builds ask the runtime's own `URL` (`web::interop::url`), which every browser,
//! Node and edge runtime ships, instead of carrying a second copy of the standard. Only strings
//! cross that seam, and everything decided about a URL is decided here, the same on both.

/// The components of a parsed URL, as the WHATWG standard names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// The serialised URL.
    pub href: String,
    /// The scheme, lower-case, without the colon.
    pub scheme: String,
    /// True when the URL carries a user name or a password.
    pub has_credentials: bool,
    /// The host (IPv6 in brackets); empty when there is none.
    pub host: String,
    /// The port, when it is not the scheme's default.
    pub port: Option<u16>,
    /// The path.
    pub path: String,
    /// The query without `?`; `None` when the URL has no `?`.
    pub query: Option<String>,
    /// The fragment without `#`; `None` when the URL has no `#`.
    pub fragment: Option<String>,
}

/// A parsed absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(UrlParts);

#[cfg(target_arch = "wasm32")]
pub use crate::web::interop::url::form_value;
#[cfg(target_arch = "wasm32")]
use crate::web::interop::url::parse_parts;

/// The value of one query pair (`key=value`, no `&`) whose key is `name`, both decoded as
/// `application/x-www-form-urlencoded` (`+` is a space, percent escapes are UTF-8 bytes, invalid
/// sequences become U+FFFD); `None` for a pair with another key. Native builds: the
/// `form_urlencoded` crate; wasm builds: the runtime's `URLSearchParams`.
#[cfg(not(target_arch = "wasm32"))]
pub fn form_value(pair: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Native builds: the `url` crate (with the stub IDNA back end, which refuses non-ASCII hosts).
#[cfg(not(target_arch = "wasm32"))]
fn parse_parts(input: &str, base: Option<&str>) -> Option<UrlParts> {
    let url = match base {
        Some(base) => url::Url::parse(base).ok()?.join(input).ok()?,
        None => url::Url::parse(input).ok()?,
    };
    Some(UrlParts {
        scheme: url.scheme().to_owned(),
        has_credentials: !url.username().is_empty() || url.password().is_some(),
        host: url.host_str().unwrap_or_default().to_owned(),
        port: url.port(),
        path: url.path().to_owned(),
        query: url.query().map(str::to_owned),
        fragment: url.fragment().map(str::to_owned),
        href: url.into(),
    })
}

impl WebUrl {
    /// Parses an absolute URL; the error is the reason it is not one.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::checked(input, None)
    }

    /// Resolves `input` (a path or an absolute URL) against this URL, as `new URL(input, this)`.
    pub fn join(&self, input: &str) -> Result<Self, &'static str> {
        Self::checked(input, Some(self))
    }

    fn checked(input: &str, base: Option<&Self>) -> Result<Self, &'static str> {
        // Deployment hosts are ASCII. A runtime's parser maps a Unicode host to punycode, the
        // native one refuses it: refuse it on both, before either is asked.
        if !written_host(input).is_ascii() {
            return Err("non-ASCII host names are not supported");
        }
        match parse_parts(input, base.map(Self::as_str)) {
            // Runtimes differ at the edges (Chromium percent-encodes a space in a host where
            // the standard refuses it): only plain DNS names and IP literals pass, everywhere.
            Some(parts) if !is_plain_host(&parts.host) => Err("invalid URL"),
            Some(parts) => Ok(WebUrl(parts)),
            None if base.is_none() && !input.contains(':') => Err("relative URL without a base"),
            None => Err("invalid URL"),
        }
    }

    /// The serialised URL.
    pub fn as_str(&self) -> &str {
        &self.0.href
    }

    /// The scheme, lower-case, without the colon (`"https"`).
    pub fn scheme(&self) -> &str {
        &self.0.scheme
    }

    /// True when the URL carries a user name or a password.
    pub fn has_credentials(&self) -> bool {
        self.0.has_credentials
    }

    /// The host name, lower-case (IPv6 in brackets); `None` for URLs without one.
    pub fn host(&self) -> Option<&str> {
        Some(self.0.host.as_str()).filter(|h| !h.is_empty())
    }

    /// The port, when it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.0.port
    }

    /// `host[:port]`, as a `Host` header spells it.
    pub fn authority(&self) -> String {
        match self.port() {
            Some(port) => format!("{}:{port}", self.0.host),
            None => self.0.host.clone(),
        }
    }

    /// The path (`"/"` at the least for http and https URLs).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The query without `?`; `None` when there is no `?`.
    pub fn query(&self) -> Option<&str> {
        self.0.query.as_deref()
    }

    /// The fragment without `#`; `None` when there is no `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.0.fragment.as_deref()
    }

    /// The serialised tuple origin (`scheme://host[:port]`); `None` for an opaque origin
    /// (`data:`, `file:`, `blob:` …), which is never the same origin as anything.
    pub fn origin(&self) -> Option<String> {
        matches!(self.scheme(), "http" | "https" | "ws" | "wss" | "ftp")
            .then(|| format!("{}://{}", self.scheme(), self.authority()))
    }

    /// The same URL with another query (`None`: without one).
    pub fn with_query(&self, query: Option<&str>) -> String {
        let before = self.0.href.split(['?', '#']).next().unwrap_or_default();
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        let fragment = self.fragment().map(|f| format!("#{f}")).unwrap_or_default();
        format!("{before}{query}{fragment}")
    }

    /// True for hosts that never leave the machine: `localhost`, `127.0.0.0/8`, `[::1]`.
    ///
    /// The parser serialises IP hosts canonically (`127.1` → `127.0.0.1`, `[0:0::1]` → `[::1]`),
    /// so the serialised form is what is checked.
    pub fn is_loopback(&self) -> bool {
        let host = self.0.host.as_str();
        let ipv4 = host.split('.').count() == 4
            && host
                .split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        host == "[::1]"
            || (ipv4 && host.starts_with("127."))
            || host == "localhost"
            || host.ends_with(".localhost")
    }
}

/// A DNS name or IPv4 address (letters, digits, `-`, `_`, `.`), an IPv6 literal in brackets
/// (hex digits, `:` and `.`, as the parser serialised it), or no host.
fn is_plain_host(host: &str) -> bool {
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(ip) => ip
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.')),
        None => host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')),
    }
}

/// The host as written in `scheme://host…` or `//host…` (empty when there is none).
fn written_host(input: &str) -> &str {
    let after_scheme = match input.split_once(':') {
        Some((scheme, rest)) if !scheme.contains('/') => rest,
        _ => input,
    };
    match after_scheme.strip_prefix("//") {
        Some(rest) => rest.split(['/', '?', '#', '\\']).next().unwrap_or_default(),
        None => "",
    }
}

impl From<WebUrl> for String {
    fn from(url: WebUrl) -> String {
        url.0.href
    }
}
