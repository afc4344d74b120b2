//! Where tokens are stored: the key names of the official Convex Auth React client, so an app
//! switching to this package keeps its users signed in, and the store abstraction.

use std::cell::RefCell;
use std::collections::HashMap;

use super::error::Error;
use super::session::Tokens;

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

/// A key-value store for tokens (Web Storage, memory, or the application's own).
pub trait TokenStore {
    /// Reads a key.
    fn get(&self, key: &str) -> Result<Option<String>, Error>;
    /// Writes a key.
    fn set(&self, key: &str, value: &str) -> Result<(), Error>;
    /// Removes a key.
    fn remove(&self, key: &str) -> Result<(), Error>;
}

/// Tokens kept in memory: for SSR, private mode, and when storage fails.
#[derive(Debug, Default)]
pub struct MemoryStore(RefCell<HashMap<String, String>>);

impl TokenStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self.0.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.0.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
}

/// Reads the stored session: both keys must be present; anything else is "no session".
pub fn read_tokens(store: &dyn TokenStore, keys: &StorageKeys) -> Result<Option<Tokens>, Error> {
    let token = store.get(&keys.jwt)?;
    let refresh_token = store.get(&keys.refresh_token)?;
    Ok(match (token, refresh_token) {
        (Some(token), Some(refresh_token)) if !token.is_empty() && !refresh_token.is_empty() => {
            Some(Tokens {
                token,
                refresh_token,
            })
        }
        _ => None,
    })
}

/// Writes (JWT first, then the refresh token, as the official client does: other tabs follow
/// the JWT key) or clears the stored session.
pub fn write_tokens(
    store: &dyn TokenStore,
    keys: &StorageKeys,
    tokens: Option<&Tokens>,
) -> Result<(), Error> {
    match tokens {
        Some(t) => {
            store.set(&keys.jwt, &t.token)?;
            store.set(&keys.refresh_token, &t.refresh_token)
        }
        None => {
            store.remove(&keys.jwt)?;
            store.remove(&keys.refresh_token)
        }
    }
}
