//! Token storage (the official client's keys, JWT first, every fault reported, memory fallback)
//! and the two decisions around the refresh lock: what to do once it is held, and the
//! compare-and-set that keeps a late answer from resurrecting or overwriting a session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use std::cell::RefCell;

use convex_auth_wasm::core::client::ClientError;
use convex_auth_wasm::core::client::refresh::{
    AfterLock, Persist, after_lock, persist_after_refresh,
};
use convex_auth_wasm::core::client::session::{Applied, RefreshTicket, Tokens};
use convex_auth_wasm::core::client::storage::{
    EMAIL_SECRET_KEYS, MemoryStore, StorageKeys, TokenStore, namespaced_key, read_tokens,
    write_tokens,
};
use convex_auth_wasm::core::shared::error::Error;
use helper::{convex_payload, jwt};

fn tokens(iat: i64, life: i64, refresh: &str) -> Tokens {
    Tokens {
        token: jwt(r#"{"alg":"RS256"}"#, &convex_payload(iat, iat + life)),
        refresh_token: refresh.to_owned(),
    }
}

#[test]
fn keys_are_the_official_clients() {
    let keys = StorageKeys::for_namespace("https://happy-otter-123.convex.cloud");
    assert_eq!(keys.jwt, "__convexAuthJWT_httpshappyotter123convexcloud");
    assert_eq!(
        keys.refresh_token,
        "__convexAuthRefreshToken_httpshappyotter123convexcloud"
    );
    assert_eq!(
        keys.oauth_verifier,
        "__convexAuthOAuthVerifier_httpshappyotter123convexcloud"
    );
}

#[test]
fn v2_email_link_secrets_have_the_official_keys() {
    let ns = "https://happy-otter-123.convex.cloud";
    let keys: Vec<String> = EMAIL_SECRET_KEYS
        .iter()
        .map(|(_, name)| namespaced_key(name, ns))
        .collect();
    let suffix = "httpshappyotter123convexcloud";
    assert_eq!(
        keys,
        [
            format!("__convexAuthEmailPasswordSignUpSecret_{suffix}"),
            format!("__convexAuthEmailPasswordChangeEmailSecret_{suffix}"),
            format!("__convexAuthEmailPasswordRecoverySecret_{suffix}"),
        ]
    );
}

#[test]
fn after_the_lock_a_tab_uses_what_another_tab_did() {
    let ticket = RefreshTicket {
        generation: 7,
        refresh_token: "r1".into(),
        lifetime: None,
    };
    assert_eq!(after_lock(&ticket, 8, Some(None)), AfterLock::Stale);
    assert_eq!(
        after_lock(&ticket, 7, None),
        AfterLock::Request,
        "cookie mode"
    );
    assert_eq!(
        after_lock(&ticket, 7, Some(None)),
        AfterLock::SignedOutElsewhere
    );
    let same = tokens(1, 60, "r1");
    assert_eq!(after_lock(&ticket, 7, Some(Some(same))), AfterLock::Request);
    let newer = tokens(2, 60, "r2");
    assert_eq!(
        after_lock(&ticket, 7, Some(Some(newer.clone()))),
        AfterLock::Adopt(newer)
    );
}

#[test]
fn a_refresh_stores_its_answer_only_over_the_token_it_started_from() {
    let ticket = RefreshTicket {
        generation: 1,
        refresh_token: "r1".into(),
        lifetime: None,
    };
    let fresh = tokens(2, 60, "r2");
    let started_from = Some(tokens(1, 60, "r1"));
    assert_eq!(
        persist_after_refresh(
            &ticket,
            &Applied::Adopted,
            Some(&fresh),
            started_from.clone()
        ),
        Persist::Write(fresh.clone())
    );
    assert_eq!(
        persist_after_refresh(&ticket, &Applied::SignedOut, None, started_from.clone()),
        Persist::Clear
    );
    // Another tab signed out meanwhile: the late answer must not resurrect the session.
    assert_eq!(
        persist_after_refresh(&ticket, &Applied::Adopted, Some(&fresh), None),
        Persist::Follow(None)
    );
    // Another tab signed in anew: neither the late tokens nor a late sign-out may touch it.
    let other = tokens(3, 60, "other-session");
    assert_eq!(
        persist_after_refresh(
            &ticket,
            &Applied::Adopted,
            Some(&fresh),
            Some(other.clone())
        ),
        Persist::Follow(Some(other.clone()))
    );
    assert_eq!(
        persist_after_refresh(&ticket, &Applied::SignedOut, None, Some(other.clone())),
        Persist::Follow(Some(other))
    );
    for applied in [Applied::WillRetry(1000.0), Applied::Stale] {
        assert_eq!(
            persist_after_refresh(&ticket, &applied, Some(&fresh), started_from.clone()),
            Persist::Nothing
        );
    }
}

/// A store that records writes and can be told to fail.
#[derive(Default)]
struct ScriptedStore {
    inner: MemoryStore,
    log: RefCell<Vec<String>>,
    fail: RefCell<Option<&'static str>>,
}

impl ScriptedStore {
    fn check(&self, op: &'static str) -> Result<(), Error> {
        if *self.fail.borrow() == Some(op) {
            return Err(ClientError::StorageUnavailable {
                storage: "test".into(),
                reason: op.into(),
            }
            .into());
        }
        Ok(())
    }
}

impl TokenStore for ScriptedStore {
    fn get(&self, key: &str) -> Result<Option<String>, Error> {
        self.check("get")?;
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Error> {
        self.check("set")?;
        self.log.borrow_mut().push(format!("set {key}"));
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), Error> {
        self.check("remove")?;
        self.log.borrow_mut().push(format!("remove {key}"));
        self.inner.remove(key)
    }
}

#[test]
fn storage_writes_the_jwt_first_and_reports_every_fault() {
    let keys = StorageKeys::for_namespace("https://happy-otter-123.convex.cloud");
    let store = ScriptedStore::default();
    let t = tokens(1, 60, "r1");
    write_tokens(&store, &keys, Some(&t)).unwrap();
    assert_eq!(
        *store.log.borrow(),
        [
            format!("set {}", keys.jwt),
            format!("set {}", keys.refresh_token)
        ]
    );
    assert_eq!(read_tokens(&store, &keys).unwrap(), Some(t));
    store.inner.remove(&keys.refresh_token).unwrap();
    assert_eq!(
        read_tokens(&store, &keys).unwrap(),
        None,
        "half a session is no session"
    );
    store.inner.set(&keys.refresh_token, "").unwrap();
    assert_eq!(read_tokens(&store, &keys).unwrap(), None);
    for op in ["get", "set", "remove"] {
        *store.fail.borrow_mut() = Some(op);
        let result = match op {
            "get" => read_tokens(&store, &keys).map(|_| ()),
            "set" => write_tokens(&store, &keys, Some(&tokens(1, 60, "r"))),
            _ => write_tokens(&store, &keys, None),
        };
        assert_eq!(
            result.unwrap_err().code(),
            "ERR_STORAGE_UNAVAILABLE",
            "{op}"
        );
    }
}

#[test]
fn a_failing_store_falls_back_to_memory_and_says_why() {
    use convex_auth_wasm::core::client::storage::ResilientStore;
    let keys = StorageKeys::for_namespace("x");
    let scripted = ScriptedStore::default();
    scripted.inner.set(&keys.jwt, "stored-jwt").unwrap();
    let store = ResilientStore::new(Ok(Box::new(scripted)));
    assert!(store.is_primary());
    assert_eq!(store.get(&keys.jwt).unwrap().as_deref(), Some("stored-jwt"));
    store.set(&keys.refresh_token, "r1").unwrap();
    // The real store starts throwing (quota): nothing is lost, nothing throws.
    let failing = ScriptedStore::default();
    *failing.fail.borrow_mut() = Some("set");
    let store = ResilientStore::new(Ok(Box::new(failing)));
    let t = tokens(1, 60, "r1");
    write_tokens(&store, &keys, Some(&t)).unwrap();
    assert!(!store.is_primary());
    assert_eq!(store.failure().unwrap().code(), "ERR_STORAGE_UNAVAILABLE");
    assert_eq!(read_tokens(&store, &keys).unwrap(), Some(t));
    // Missing storage (SSR, workers): memory from the start, with the reason.
    let missing: Result<Box<dyn TokenStore>, Error> = Err(ClientError::StorageUnavailable {
        storage: "localStorage".into(),
        reason: "not defined".into(),
    }
    .into());
    let store = ResilientStore::new(missing);
    assert!(store.failure().is_some());
    write_tokens(&store, &keys, None).unwrap();
    assert!(ResilientStore::memory().failure().is_none());
}
