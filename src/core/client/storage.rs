//! Where tokens are stored: the key names of the official Convex Auth React client, so an app
//! switching to this package keeps its users signed in, and the store abstraction.

use std::cell::RefCell;

use super::session::Tokens;
use crate::core::shared::error::Error;

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

/// Convex Auth 2's email + password method: the keys (exported name, official name) of the
/// secret the browser keeps between the start of a flow and the emailed link it opens.
pub const EMAIL_SECRET_KEYS: [(&str, &str); 3] = [
    ("emailSignUpSecret", "EmailPasswordSignUpSecret"),
    ("emailChangeSecret", "EmailPasswordChangeEmailSecret"),
    ("emailRecoverySecret", "EmailPasswordRecoverySecret"),
];

/// The official key `__convexAuth<name>_<namespace>`: every character of the namespace outside
/// `[a-zA-Z0-9]` is removed, as the official client does.
pub fn namespaced_key(name: &str, namespace: &str) -> String {
    let ns: String = namespace
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("__convexAuth{name}_{ns}")
}

/// The Web Lock the official client holds while refreshing (not namespaced).
pub const REFRESH_LOCK_NAME: &str = "__convexAuthRefreshToken";

impl StorageKeys {
    /// Keys for a namespace (by default the deployment's `convexUrl`).
    pub fn for_namespace(namespace: &str) -> Self {
        let key = |name: &str| namespaced_key(name, namespace);
        StorageKeys {
            jwt: key("JWT"),
            refresh_token: key("RefreshToken"),
            oauth_verifier: key("OAuthVerifier"),
            server_state_fetch_time: key("ServerStateFetchTime"),
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

/// Tokens kept in memory: for SSR, private mode, and when storage fails. A session has two
/// keys, so a list is all the map it needs.
#[derive(Debug, Default)]
pub struct MemoryStore(RefCell<Vec<(String, String)>>);

impl TokenStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        let entries = self.0.borrow();
        Ok(entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone()))
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.remove(key)?;
        self.0.borrow_mut().push((key.to_owned(), value.to_owned()));
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        self.0.borrow_mut().retain(|(k, _)| k != key);
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

/// A store that falls back to memory, for good, the first time the real one fails (private mode,
/// quota, a throwing custom store), and remembers why so the application can be told.
pub struct ResilientStore {
    primary: Option<Box<dyn TokenStore>>,
    memory: MemoryStore,
    failure: RefCell<Option<Error>>,
}

impl ResilientStore {
    /// Wraps `primary`; `None` (or `Err`) means memory from the start, with the reason.
    pub fn new(primary: std::result::Result<Box<dyn TokenStore>, Error>) -> Self {
        let (primary, failure) = match primary {
            Ok(store) => (Some(store), None),
            Err(err) => (None, Some(err)),
        };
        ResilientStore {
            primary,
            memory: MemoryStore::default(),
            failure: RefCell::new(failure),
        }
    }

    /// Plain memory, by choice (no failure to report).
    pub fn memory() -> Self {
        ResilientStore {
            primary: None,
            memory: MemoryStore::default(),
            failure: RefCell::new(None),
        }
    }

    /// Why the real store is not used, if it failed.
    pub fn failure(&self) -> Option<Error> {
        self.failure.borrow().clone()
    }

    /// True while the real store is in use.
    pub fn is_primary(&self) -> bool {
        self.primary.is_some() && self.failure.borrow().is_none()
    }

    fn live_primary(&self) -> Option<&dyn TokenStore> {
        if self.failure.borrow().is_some() {
            return None;
        }
        self.primary.as_deref()
    }

    fn fail(&self, err: Error) {
        self.failure.borrow_mut().get_or_insert(err);
    }
}

impl TokenStore for ResilientStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        if let Some(primary) = self.live_primary() {
            match primary.get(key) {
                Ok(value) => return Ok(value),
                Err(err) => self.fail(err),
            }
        }
        self.memory.get(key)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        // Memory always holds the latest value, so a later failure loses nothing.
        self.memory.set(key, value)?;
        if let Some(primary) = self.live_primary()
            && let Err(err) = primary.set(key, value)
        {
            self.fail(err);
        }
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), Error> {
        self.memory.remove(key)?;
        if let Some(primary) = self.live_primary()
            && let Err(err) = primary.remove(key)
        {
            self.fail(err);
        }
        Ok(())
    }
}
