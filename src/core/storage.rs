//! Where tokens are stored: the key names of the official Convex Auth React client, so an app
//! switching to this package keeps its users signed in.

/// The storage keys of one deployment, e.g. `__convexAuthJWT_httpshappyotter123convexcloud`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageKeys {
    /// The access token (JWT). Written first; other tabs follow its `storage` events.
    pub jwt: String,
    /// The refresh token. Written after the JWT.
    pub refresh_token: String,
    /// The PKCE verifier of a pending OAuth / magic-link sign-in.
    pub oauth_verifier: String,
    /// When the server-side (cookie mode) state was last fetched.
    pub server_state_fetch_time: String,
}

/// The Web Lock the official client holds while refreshing (not namespaced).
pub const REFRESH_LOCK_NAME: &str = "__convexAuthRefreshToken";

impl StorageKeys {
    /// Keys for a namespace (by default the deployment's `convexUrl`): every character outside
    /// `[a-zA-Z0-9]` is removed, as the official client does.
    pub fn for_namespace(namespace: &str) -> Self {
        let ns: String = namespace
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        StorageKeys {
            jwt: format!("__convexAuthJWT_{ns}"),
            refresh_token: format!("__convexAuthRefreshToken_{ns}"),
            oauth_verifier: format!("__convexAuthOAuthVerifier_{ns}"),
            server_state_fetch_time: format!("__convexAuthServerStateFetchTime_{ns}"),
        }
    }
}
