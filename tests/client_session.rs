//! The session state machine under a fake clock (plain numbers for both clocks) and scripted
//! refresh outcomes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use convex_auth_wasm::core::client::ClientError;
use convex_auth_wasm::core::client::refresh::{
    backoff_ms, refresh_margin_seconds, refresh_timeout_ms,
};
use convex_auth_wasm::core::client::session::{
    Applied, Origin, Phase, RefreshOutcome, Session, Tokens,
};
use convex_auth_wasm::core::client::timing::Now;
use convex_auth_wasm::core::shared::error::Error;
use helper::{convex_payload, jwt};

/// The wall clock at the start of every test, in seconds.
const WALL: i64 = 1_700_000_000;

/// Both clocks `ms` after the start (they agree unless a test moves one).
fn at(ms: f64) -> Now {
    Now {
        wall_ms: WALL as f64 * 1000.0 + ms,
        mono_ms: 50_000.0 + ms,
    }
}

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
    ClientError::NetworkOrCors {
        url: "test".into(),
        reason: "down".into(),
        cross_origin: false,
    }
    .into()
}

#[test]
fn margin_and_backoff_formulas() {
    assert_eq!(refresh_margin_seconds(3600), 60.0);
    assert_eq!(refresh_margin_seconds(300), 30.0);
    assert_eq!(refresh_margin_seconds(20), 10.0);
    assert_eq!(refresh_margin_seconds(60), 30.0, "Convex Auth 2's tokens");
    assert_eq!(
        refresh_timeout_ms(60, 20_000),
        10_000,
        "two attempts fit in 30 s"
    );
    assert_eq!(refresh_timeout_ms(3600, 20_000), 20_000);
    assert_eq!(refresh_timeout_ms(8, 20_000), 2000);
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
fn received_tokens_are_timed_from_receipt_whatever_the_server_clock() {
    for server_skew in [-86_400, -3600, 0, 3600, 86_400 * 365] {
        let mut s = Session::new();
        let t = tokens(WALL + server_skew, 3600, "r1");
        assert_eq!(
            s.adopt(t.clone(), Origin::Received, at(0.0)),
            Applied::Adopted
        );
        assert_eq!(s.phase(), Phase::SignedIn);
        assert_eq!(s.usable_token(at(3_599_999.0)), Some(t.token.as_str()));
        assert_eq!(s.usable_token(at(3_600_000.0)), None, "skew {server_skew}");
        assert!(!s.refresh_due(at(3_539_999.0)));
        assert!(s.refresh_due(at(3_540_000.0)));
        assert_eq!(s.next_refresh_in(at(0.0)), Some(3_540_000.0));
    }
}

#[test]
fn loaded_tokens_are_judged_by_exp_on_the_local_clock() {
    // Issued 50 minutes ago: 10 minutes left, refresh 1 minute before the end.
    let mut s = Session::new();
    s.load(Some(tokens(WALL - 3000, 3600, "r1")), at(0.0));
    assert_eq!(
        s.phase(),
        Phase::SignedIn,
        "usable at once, no load-time refresh"
    );
    assert!(!s.refresh_due(at(0.0)));
    assert_eq!(s.next_refresh_in(at(0.0)), Some(540_000.0));
    assert!(s.usable_token(at(599_999.0)).is_some());
    assert!(s.usable_token(at(600_000.0)).is_none());
    // Within its refresh window: usable, refreshed now.
    let mut s = Session::new();
    s.load(Some(tokens(WALL - 3570, 3600, "r1")), at(0.0));
    assert_eq!(s.phase(), Phase::SignedIn);
    assert!(s.refresh_due(at(0.0)));
    // A clock far behind the server: capped at the token's lifetime.
    let mut s = Session::new();
    s.load(Some(tokens(WALL + 86_400, 3600, "r1")), at(0.0));
    assert!(s.usable_token(at(3_599_999.0)).is_some());
    assert!(s.usable_token(at(3_600_000.0)).is_none());
}

#[test]
fn an_expired_stored_token_is_never_served_and_the_session_stays_unconfirmed() {
    // Defect: a failed load-time refresh used to time the stored JWT as if received now,
    // serving an expired token and reporting isAuthenticated for a whole lifetime.
    let mut s = Session::new();
    s.load(Some(tokens(WALL - 7200, 3600, "r1")), at(0.0));
    assert_eq!(s.phase(), Phase::Loading);
    assert!(s.usable_token(at(0.0)).is_none());
    assert!(s.refresh_due(at(0.0)));
    let ticket = s.begin_refresh().unwrap();
    let applied = s.finish_refresh(
        &ticket,
        RefreshOutcome::Transient(transient()),
        at(10.0),
        1.0,
    );
    assert_eq!(applied, Applied::WillRetry(1000.0));
    assert_eq!(s.phase(), Phase::Loading, "unconfirmed, not signed in");
    assert!(s.usable_token(at(10.0)).is_none(), "never served");
    assert_eq!(s.failures(), 1);
    // A stored token still valid stays usable after a failed refresh, until its own exp.
    let mut s = Session::new();
    s.load(Some(tokens(WALL - 3590, 3600, "r1")), at(0.0));
    let ticket = s.begin_refresh().unwrap();
    s.finish_refresh(
        &ticket,
        RefreshOutcome::Transient(transient()),
        at(0.0),
        1.0,
    );
    assert_eq!(s.phase(), Phase::SignedIn);
    assert!(s.usable_token(at(9_999.0)).is_some());
    assert!(s.usable_token(at(10_000.0)).is_none());
}

#[test]
fn a_backward_wall_clock_jump_does_not_delay_the_refresh() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 3600, "r1"), Origin::Received, at(0.0));
    // An hour later on the monotonic clock, but the wall clock was set back a day.
    let jumped = Now {
        wall_ms: at(3_540_000.0).wall_ms - 86_400_000.0,
        mono_ms: at(3_540_000.0).mono_ms,
    };
    assert!(s.refresh_due(jumped));
    assert!(s.usable_token(jumped).is_some());
}

#[test]
fn a_sleeping_laptop_whose_monotonic_clock_stopped_still_sees_the_expiry() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 3600, "r1"), Origin::Received, at(0.0));
    let woke = Now {
        wall_ms: at(7_200_000.0).wall_ms,
        mono_ms: at(1_000.0).mono_ms,
    };
    assert!(s.usable_token(woke).is_none());
    assert!(s.refresh_due(woke));
}

#[test]
fn only_a_definitive_answer_signs_out() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 60, "r1"), Origin::Received, at(0.0));
    let mut now = 0.0;
    for failure in 1..=12 {
        let ticket = s.begin_refresh().unwrap();
        let applied = s.finish_refresh(
            &ticket,
            RefreshOutcome::Transient(transient()),
            at(now),
            1.0,
        );
        let Applied::WillRetry(delay) = applied else {
            panic!("{applied:?}")
        };
        assert_eq!(delay, backoff_ms(failure, 1.0));
        assert_eq!(s.failures(), failure);
        assert!(s.last_error().is_some());
        assert!(s.backing_off(at(now)));
        assert_eq!(
            s.phase(),
            Phase::SignedIn,
            "failure {failure} must not sign out"
        );
        assert_eq!(s.next_refresh_in(at(now)), Some(delay));
        now += delay;
        assert!(!s.backing_off(at(now)));
    }
    let ticket = s.begin_refresh().unwrap();
    let fresh = RefreshOutcome::Tokens(tokens(WALL + 2, 60, "r2"));
    assert_eq!(
        s.finish_refresh(&ticket, fresh, at(now), 0.5),
        Applied::Adopted
    );
    assert_eq!(
        (s.failures(), s.last_error()),
        (0, None),
        "success clears the backoff"
    );
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(
        s.finish_refresh(&ticket, RefreshOutcome::SignedOut, at(now), 0.5),
        Applied::SignedOut
    );
    assert_eq!(s.phase(), Phase::SignedOut);
    assert!(s.active().is_none() && s.next_refresh_in(at(now)).is_none());
}

#[test]
fn one_refresh_at_a_time_and_no_timer_while_it_runs() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 3600, "r1"), Origin::Received, at(0.0));
    let ticket = s.begin_refresh().unwrap();
    assert!(s.is_refreshing());
    assert_eq!(s.begin_refresh(), None, "callers join the running refresh");
    assert!(!s.refresh_due(at(1e9)), "not due while one runs");
    assert_eq!(s.next_refresh_in(at(1e9)), None, "no timer while one runs");
    s.finish_refresh(
        &ticket,
        RefreshOutcome::Tokens(tokens(WALL, 3600, "r2")),
        at(0.0),
        0.0,
    );
    assert!(!s.is_refreshing());
    assert!(s.begin_refresh().is_some());
}

#[test]
fn a_late_answer_never_overwrites_newer_tokens() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 3600, "r1"), Origin::Received, at(0.0));
    let old = s.begin_refresh().unwrap();
    // Meanwhile another tab refreshed and we followed its storage event.
    s.adopt(
        tokens(WALL + 5, 3600, "r-other-tab"),
        Origin::Loaded,
        at(10.0),
    );
    let late = RefreshOutcome::Tokens(tokens(WALL + 3, 3600, "r-late"));
    assert_eq!(s.finish_refresh(&old, late, at(20.0), 0.0), Applied::Stale);
    assert_eq!(s.active().unwrap().tokens.refresh_token, "r-other-tab");
    assert_eq!(
        s.finish_refresh(&old, RefreshOutcome::SignedOut, at(20.0), 0.0),
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
    let late = RefreshOutcome::Tokens(tokens(WALL + 6, 3600, "r-zombie"));
    assert_eq!(
        s.finish_refresh(&running, late, at(30.0), 0.0),
        Applied::Stale
    );
    assert_eq!(s.phase(), Phase::SignedOut);
}

#[test]
fn subject_parts_are_exposed_and_garbage_means_signed_out() {
    let mut s = Session::new();
    s.adopt(tokens(WALL, 60, "r"), Origin::Received, at(0.0));
    let a = s.active().unwrap();
    assert_eq!(
        (a.user_id.as_deref(), a.session_id.as_deref()),
        (Some("user123"), Some("session456"))
    );
    let mut corrupt = Session::new();
    let garbage = Tokens {
        token: "garbage".into(),
        refresh_token: "r".into(),
    };
    corrupt.load(Some(garbage), at(0.0));
    assert_eq!(corrupt.phase(), Phase::SignedOut);
    let mut empty = Session::new();
    empty.load(None, at(0.0));
    assert_eq!(empty.phase(), Phase::SignedOut);
}

#[test]
fn cookie_mode_starts_from_a_refresh_token_alone() {
    let mut s = Session::new();
    s.load_refresh_only("dummy".into(), at(0.0));
    assert_eq!(s.phase(), Phase::Loading);
    assert!(s.usable_token(at(0.0)).is_none());
    assert!(s.refresh_due(at(0.0)));
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(ticket.refresh_token, "dummy");
    let applied = s.finish_refresh(
        &ticket,
        RefreshOutcome::Transient(transient()),
        at(0.0),
        1.0,
    );
    assert_eq!(applied, Applied::WillRetry(1000.0));
    assert_eq!(
        s.phase(),
        Phase::Loading,
        "no JWT yet, not signed out either"
    );
    let ticket = s.begin_refresh().unwrap();
    s.finish_refresh(
        &ticket,
        RefreshOutcome::Tokens(tokens(WALL, 60, "dummy")),
        at(1000.0),
        0.0,
    );
    assert_eq!(s.phase(), Phase::SignedIn);
    let ticket = s.begin_refresh().unwrap();
    assert_eq!(ticket.refresh_token, "dummy");
}
