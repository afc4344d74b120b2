//! The session state machine with a fake clock (plain numbers) and scripted refresh outcomes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use std::cell::RefCell;

use convex_auth_wasm::core::error::{Error, ErrorKind};
use convex_auth_wasm::core::session::{
    Applied, Phase, RefreshOutcome, Session, Tokens, backoff_ms, refresh_margin_seconds,
};
use convex_auth_wasm::core::storage::{
    MemoryStore, StorageKeys, TokenStore, read_tokens, write_tokens,
};
use helper::{convex_payload, jwt};

/// Tokens issued by a server whose clock reads `server_now`, living `life` seconds.
fn tokens(server_now: i64, life: i64, refresh: &str) -> Tokens {
    Tokens {
        token: jwt(
            r#"{"alg":"RS256"}"#,
            &convex_payload(server_now, server_now + life),
        ),
        refresh_token: refresh.to_owned(),
    }
}

fn transient() -> Error {
    ErrorKind::StorageUnavailable {
        storage: "network (test)".into(),
        reason: "down".into(),
    }
    .into()
}

const LOCAL: f64 = 5_000_000.0; // local clock, ms

#[test]
fn margin_and_backoff_formulas() {
    assert_eq!(refresh_margin_seconds(3600), 60.0);
    assert_eq!(refresh_margin_seconds(300), 30.0);
    assert_eq!(refresh_margin_seconds(20), 10.0);
    assert_eq!(
        refresh_margin_seconds(8),
        4.0,
        "never more than half the lifetime"
    );
    assert_eq!(backoff_ms(1, 1.0), 1000.0);
    assert_eq!(backoff_ms(2, 1.0), 2000.0);
    assert_eq!(backoff_ms(1, 0.0), 500.0, "jitter halves at most");
    assert_eq!(backoff_ms(30, 1.0), 60_000.0, "capped");
    for f in 1..40 {
        let b = backoff_ms(f, 0.37);
        assert!((500.0..=60_000.0).contains(&b));
    }
}

#[test]
fn refresh_timing_ignores_clock_skew() {
    for server_skew in [-86_400, -3600, 0, 3600, 86_400 * 365] {
        let mut s = Session::new();
        let server_now = 1_700_000_000 + server_skew;
        assert_eq!(
            s.adopt(tokens(server_now, 3600, "r1"), LOCAL),
            Applied::Adopted
        );
        let active = s.active().unwrap();
        assert_eq!(
            active.expires_local_ms,
            LOCAL + 3_600_000.0,
            "skew {server_skew}"
        );
        assert_eq!(active.refresh_at_ms, LOCAL + 3_540_000.0);
        assert_eq!(
            s.usable_token(LOCAL + 3_599_999.0),
            Some(active.tokens.token.as_str())
        );
        assert_eq!(s.usable_token(LOCAL + 3_600_000.0), None);
        assert!(!s.refresh_due(LOCAL + 3_539_999.0));
        assert!(s.refresh_due(LOCAL + 3_540_000.0));
    }
}

#[test]
fn stored_tokens_are_refreshed_at_load_and_kept_on_transient_failure() {
    let mut s = Session::new();
    assert_eq!(s.phase(), Phase::Loading);
    s.load(Some(tokens(1, 3600, "r1")), LOCAL);
    assert_eq!(s.phase(), Phase::Loading);
    assert!(
        s.refresh_due(LOCAL),
        "the official client refreshes once per page load"
    );
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(ticket.refresh_token, "r1");
    assert_eq!(
        s.finish_refresh(&ticket, RefreshOutcome::Transient(transient()), LOCAL, 1.0),
        Applied::WillRetry(LOCAL + 1000.0)
    );
    assert_eq!(s.phase(), Phase::SignedIn, "unconfirmed but usable");
    assert!(s.usable_token(LOCAL).is_some());
    let mut empty = Session::new();
    empty.load(None, LOCAL);
    assert_eq!(empty.phase(), Phase::SignedOut);
    let mut corrupt = Session::new();
    corrupt.load(
        Some(Tokens {
            token: "garbage".into(),
            refresh_token: "r".into(),
        }),
        LOCAL,
    );
    assert_eq!(
        corrupt.phase(),
        Phase::SignedOut,
        "a corrupt stored value means signed out"
    );
}

#[test]
fn only_a_definitive_answer_signs_out() {
    let mut s = Session::new();
    s.adopt(tokens(1, 60, "r1"), LOCAL);
    let mut now = LOCAL;
    for failure in 1..=12 {
        let ticket = s.begin_refresh().unwrap();
        let applied = s.finish_refresh(&ticket, RefreshOutcome::Transient(transient()), now, 1.0);
        let Applied::WillRetry(at) = applied else {
            panic!("{applied:?}")
        };
        assert_eq!(at, now + backoff_ms(failure, 1.0));
        assert_eq!(s.failures(), failure);
        assert!(s.last_error().is_some());
        assert_eq!(
            s.phase(),
            Phase::SignedIn,
            "failure {failure} must not sign out"
        );
        assert_eq!(s.next_refresh_at(), Some(at));
        now = at;
    }
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(
        s.finish_refresh(
            &ticket,
            RefreshOutcome::Tokens(tokens(2, 60, "r2")),
            now,
            0.5
        ),
        Applied::Adopted
    );
    assert_eq!(
        (s.failures(), s.last_error()),
        (0, None),
        "success clears the backoff"
    );
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(
        s.finish_refresh(&ticket, RefreshOutcome::SignedOut, now, 0.5),
        Applied::SignedOut
    );
    assert_eq!(s.phase(), Phase::SignedOut);
    assert!(s.active().is_none() && s.next_refresh_at().is_none());
}

#[test]
fn one_refresh_at_a_time() {
    let mut s = Session::new();
    s.adopt(tokens(1, 3600, "r1"), LOCAL);
    let ticket = s.begin_refresh().unwrap();
    assert!(s.is_refreshing());
    assert_eq!(s.begin_refresh(), None, "callers join the running refresh");
    assert!(!s.refresh_due(LOCAL + 1e9), "not due while one runs");
    s.finish_refresh(
        &ticket,
        RefreshOutcome::Tokens(tokens(2, 3600, "r2")),
        LOCAL,
        0.0,
    );
    assert!(!s.is_refreshing());
    assert!(s.begin_refresh().is_some());
}

#[test]
fn a_late_answer_never_overwrites_newer_tokens() {
    let mut s = Session::new();
    s.adopt(tokens(1, 3600, "r1"), LOCAL);
    let old = s.begin_refresh().unwrap();
    // Meanwhile another tab refreshed and we followed its storage event.
    s.adopt(tokens(5, 3600, "r-other-tab"), LOCAL + 10.0);
    let late = RefreshOutcome::Tokens(tokens(3, 3600, "r-late"));
    assert_eq!(
        s.finish_refresh(&old, late, LOCAL + 20.0, 0.0),
        Applied::Stale
    );
    assert_eq!(s.active().unwrap().tokens.refresh_token, "r-other-tab");
    assert_eq!(
        s.finish_refresh(&old, RefreshOutcome::SignedOut, LOCAL + 20.0, 0.0),
        Applied::Stale
    );
    assert_eq!(
        s.phase(),
        Phase::SignedIn,
        "a stale sign-out is ignored too"
    );
    // A sign-out while a refresh runs: the late tokens must not sign the user back in.
    let running = s.begin_refresh().unwrap();
    s.sign_out();
    let late = RefreshOutcome::Tokens(tokens(6, 3600, "r-zombie"));
    assert_eq!(
        s.finish_refresh(&running, late, LOCAL + 30.0, 0.0),
        Applied::Stale
    );
    assert_eq!(s.phase(), Phase::SignedOut);
}

#[test]
fn subject_parts_are_exposed() {
    let mut s = Session::new();
    s.adopt(tokens(1, 60, "r"), LOCAL);
    let a = s.active().unwrap();
    assert_eq!(
        (a.user_id.as_deref(), a.session_id.as_deref()),
        (Some("user123"), Some("session456"))
    );
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
            return Err(ErrorKind::StorageUnavailable {
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
    use convex_auth_wasm::core::storage::ResilientStore;
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
    let missing: Result<Box<dyn TokenStore>, Error> = Err(ErrorKind::StorageUnavailable {
        storage: "localStorage".into(),
        reason: "not defined".into(),
    }
    .into());
    let store = ResilientStore::new(missing);
    assert!(store.failure().is_some());
    write_tokens(&store, &keys, None).unwrap();
    assert!(ResilientStore::memory().failure().is_none());
}

#[test]
fn cookie_mode_starts_from_a_refresh_token_alone() {
    let mut s = Session::new();
    s.load_refresh_only("dummy".into(), LOCAL);
    assert_eq!(s.phase(), Phase::Loading);
    assert!(s.usable_token(LOCAL).is_none());
    assert!(s.refresh_due(LOCAL));
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(ticket.refresh_token, "dummy");
    let applied = s.finish_refresh(&ticket, RefreshOutcome::Transient(transient()), LOCAL, 1.0);
    assert_eq!(applied, Applied::WillRetry(LOCAL + 1000.0));
    assert_eq!(
        s.phase(),
        Phase::Loading,
        "no JWT yet, not signed out either"
    );
    let ticket = s.begin_refresh().unwrap();
    s.finish_refresh(
        &ticket,
        RefreshOutcome::Tokens(tokens(1, 60, "dummy")),
        LOCAL + 1000.0,
        0.0,
    );
    assert_eq!(s.phase(), Phase::SignedIn);
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(ticket.refresh_token, "dummy");
}
