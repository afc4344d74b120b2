//! The session manager's flows under a fake clock, with fake tabs sharing storage, the Web Lock
//! and a cookie jar, against a fake deployment that follows Convex Auth's refresh-token rules
//! and counts every call (tests/helper/world.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![allow(clippy::disallowed_macros)] // json! is fine outside the shipped modules
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use std::rc::Rc;

use convex_auth_wasm::core::client::ClientError;
use convex_auth_wasm::core::client::manager::{
    CrossTab, Hydrated, Mode, SessionCore, SignInOutcome, Wanted,
};
use convex_auth_wasm::core::client::protocol::FunctionKind;
use helper::value;
use helper::world::{Fault, LATENCY_MS, Tab, World, cookie_mode, issued_at};
use serde_json::json;

const LIFETIME: i64 = 20;

/// Signs in and lets the lock's linger pass.
fn sign_in(world: &Rc<World>, tab: &Rc<SessionCore<Tab>>) {
    let tab = tab.clone();
    let outcome = world.block_on(async move {
        tab.sign_in(value(
            json!({ "provider": "password", "params": { "email": "a@b.c" } }),
        ))
        .await
    });
    assert_eq!(outcome.unwrap(), SignInOutcome::SignedIn);
    world.advance(200.0);
}

/// Starts a sign-in with `provider` (OAuth: the answer is where to send the browser).
fn start_sign_in(
    world: &Rc<World>,
    tab: &Rc<SessionCore<Tab>>,
    provider: &str,
) -> Result<SignInOutcome, convex_auth_wasm::core::shared::error::Error> {
    let starting = tab.clone();
    let args = value(json!({ "provider": provider, "params": {} }));
    world.block_on(async move { starting.sign_in(args).await })
}

fn token_of(world: &Rc<World>, tab: &Rc<SessionCore<Tab>>, wanted: Wanted) -> Option<String> {
    let tab = tab.clone();
    world.block_on(async move { tab.fetch_access_token(wanted).await })
}

fn three_signed_in_tabs(mode: Mode) -> (Rc<World>, Vec<Rc<SessionCore<Tab>>>) {
    let world = World::new(LIFETIME);
    let first = world.open_tab(mode.clone());
    sign_in(&world, &first);
    let mut tabs = vec![first];
    for _ in 0..2 {
        tabs.push(world.open_tab(mode.clone()));
    }
    world.advance(1000.0);
    for tab in &tabs {
        assert!(tab.snapshot().is_authenticated, "{:?}", tab.snapshot());
    }
    (world, tabs)
}

#[test]
fn three_tabs_make_one_refresh_per_token_lifetime() {
    for mode in [Mode::Direct, cookie_mode()] {
        let (world, tabs) = three_signed_in_tabs(mode.clone());
        let before = world.backend.borrow().refresh_calls;
        // 10 lifetimes; each token is refreshed 10 s before its 20 s expiry.
        world.advance(10.0 * LIFETIME as f64 * 1000.0);
        let calls = world.backend.borrow().refresh_calls - before;
        let per_token = (LIFETIME - 10) as u32;
        assert_eq!(calls, 10 * LIFETIME as u32 / per_token, "{mode:?}");
        let newest: Vec<_> = tabs.iter().map(|t| t.snapshot().expires_at).collect();
        assert!(
            newest.windows(2).all(|w| w[0] == w[1]),
            "{mode:?}: {newest:?}"
        );
        for tab in &tabs {
            let state = tab.snapshot();
            assert!(
                state.is_authenticated && state.has_token,
                "{mode:?}: {state:?}"
            );
            assert_eq!(state.refresh_failures, 0);
        }
    }
}

#[test]
fn a_forced_fetch_takes_a_token_another_tab_already_refreshed() {
    let (world, tabs) = three_signed_in_tabs(Mode::Direct);
    let first = token_of(&world, &tabs[1], Wanted::Current).unwrap();
    let calls = world.backend.borrow().refresh_calls;
    // Another tab refreshes (its timer), and this tab follows its storage event.
    let refresher = tabs[0].clone();
    world.block_on(async move { refresher.refresh().wait().await });
    assert_eq!(world.backend.borrow().refresh_calls, calls + 1);
    let forced = token_of(&world, &tabs[1], Wanted::Replacement).unwrap();
    assert_ne!(forced, first, "a newer token");
    assert_eq!(
        world.backend.borrow().refresh_calls,
        calls + 1,
        "no network call"
    );
    // Asked again with nothing newer around: one refresh, shared by concurrent callers. (Tokens
    // minted in the same second for the same session are byte-identical: let one pass.)
    world.advance(1_500.0);
    let (a, b) = (tabs[1].clone(), tabs[1].clone());
    let both = world.block_on(async move {
        let x = a.fetch_access_token(Wanted::Replacement);
        let y = b.access_token(Some(&forced));
        let (x, y) = futures::join!(x, y);
        (x, y, forced)
    });
    assert_eq!(world.backend.borrow().refresh_calls, calls + 2);
    assert_eq!(both.0, both.1);
    assert_ne!(both.0.as_deref(), Some(both.2.as_str()));
}

#[test]
fn convex_clients_asking_for_successors_cost_one_refresh_per_lifetime() {
    // What `ConvexReactClient` does in every tab: the current token, then at once (the server
    // confirmed it) a forced fetch, and again before each expiry — on a live socket throughout.
    for mode in [Mode::Direct, cookie_mode()] {
        let (world, tabs) = three_signed_in_tabs(mode.clone());
        for tab in &tabs {
            token_of(&world, tab, Wanted::Current).unwrap();
        }
        let before = world.backend.borrow().refresh_calls;
        let lifetimes = 5;
        for round in 1..=lifetimes {
            let start = world.clock.get().mono_ms;
            let asking = tabs.clone();
            let tokens = world.block_on(async move {
                let asked = asking
                    .iter()
                    .map(|t| t.fetch_access_token(Wanted::Successor));
                futures::future::join_all(asked).await
            });
            let waited_s = (world.clock.get().mono_ms - start) / 1000.0;
            assert!(
                tokens.iter().all(|t| t.is_some() && *t == tokens[0]),
                "{mode:?}: {tokens:?}"
            );
            assert_eq!(
                world.backend.borrow().refresh_calls - before,
                round,
                "{mode:?}: one per lifetime"
            );
            assert!(
                waited_s >= (LIFETIME - 10) as f64 - 2.0,
                "{mode:?}: answered when due, after {waited_s} s"
            );
        }
    }
}

#[test]
fn a_rejected_or_disconnected_client_gets_a_replacement_at_once() {
    let (world, tabs) = three_signed_in_tabs(Mode::Direct);
    let given = token_of(&world, &tabs[0], Wanted::Current).unwrap();
    let calls = world.backend.borrow().refresh_calls;
    let start = world.clock.get().mono_ms;
    let replacement = token_of(&world, &tabs[0], Wanted::Replacement).unwrap();
    assert_ne!(replacement, given);
    assert_eq!(world.backend.borrow().refresh_calls, calls + 1);
    assert!(
        world.clock.get().mono_ms - start < 1000.0,
        "no wait for the schedule"
    );
}

#[test]
fn a_successor_wait_ends_with_a_sign_out_elsewhere() {
    let (world, tabs) = three_signed_in_tabs(Mode::Direct);
    token_of(&world, &tabs[1], Wanted::Current).unwrap();
    let (waiting, leaving) = (tabs[1].clone(), tabs[0].clone());
    let (token, _) = world.block_on(async move {
        futures::join!(
            waiting.fetch_access_token(Wanted::Successor),
            leaving.sign_out()
        )
    });
    assert_eq!(token, None, "null: the Convex client clears its auth");
    assert!(!tabs[1].snapshot().is_authenticated);
}

#[test]
fn a_late_refresh_never_resurrects_a_sign_out_from_a_lockless_client() {
    // The official client signs out without the lock; our compare-and-set must notice.
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let refreshing = tab.clone();
    let _ = refreshing.refresh();
    world.advance(LATENCY_MS / 4.0); // the request is on the wire
    world.storage.borrow_mut().clear(); // another client signs out meanwhile
    world.advance(LATENCY_MS);
    assert!(
        world.storage.borrow().is_empty(),
        "the late answer was not stored"
    );
    assert!(
        !tab.snapshot().is_authenticated,
        "and this tab follows the sign-out"
    );
}

#[test]
fn a_late_refresh_never_overwrites_a_new_sign_in() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let _ = tab.refresh();
    world.advance(LATENCY_MS / 4.0);
    // A lockless client signs a different user in.
    let other = world.open_tab(Mode::Direct);
    world.locks_available.set(false);
    sign_in(&world, &other);
    world.locks_available.set(true);
    let stored = world.storage.borrow().clone();
    world.advance(LATENCY_MS * 4.0);
    assert_eq!(*world.storage.borrow(), stored, "the new sign-in survives");
    assert_eq!(
        tab.snapshot().session_id,
        other.snapshot().session_id,
        "the late tab follows it"
    );
}

#[test]
fn sign_in_and_sign_out_take_the_refresh_lock() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    world.hold_lock_forever();
    let signing = tab.clone();
    let started = world.clock.get().mono_ms;
    let outcome = world.block_on(async move {
        signing
            .sign_in(value(json!({ "provider": "password", "params": {} })))
            .await
    });
    // It waited for the lock (and, a stuck holder, gave up after the bound).
    assert_eq!(outcome.unwrap(), SignInOutcome::SignedIn);
    let waited = world.clock.get().mono_ms - started;
    assert!(waited >= 25_000.0, "waited {waited} ms");
}

#[test]
fn no_timer_spins_while_a_refresh_runs_but_the_expiry_is_still_announced() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    world.backend.borrow_mut().fault = Fault::Hang;
    world.advance((LIFETIME as f64 - 10.0) * 1000.0); // the refresh starts, and hangs
    assert!(tab.snapshot().is_refreshing);
    tab.platform().timer_log.borrow_mut().clear();
    for _ in 0..50 {
        tab.wake(); // focus, visibilitychange, online…
    }
    let log = tab.platform().timer_log.borrow().clone();
    let expiry_ms = 10_000.0;
    assert!(
        log.iter()
            .flatten()
            .all(|delay| (*delay - expiry_ms).abs() < 1_000.0),
        "only the expiry is armed while refreshing: {log:?}"
    );
    let changes = tab.platform().changes.get();
    world.advance(expiry_ms + 100.0);
    let state = tab.snapshot();
    assert!(state.is_refreshing && !state.has_token && state.is_authenticated);
    assert!(
        tab.platform().changes.get() > changes,
        "listeners heard of the expiry"
    );
}

#[test]
fn without_web_locks_one_refresh_per_tab_and_the_state_says_so() {
    let world = World::new(LIFETIME);
    world.locks_available.set(false);
    let tab = world.open_tab(Mode::Direct);
    assert_eq!(
        tab.snapshot().cross_tab,
        CrossTab::InTab,
        "said from the start"
    );
    sign_in(&world, &tab);
    assert_eq!(tab.snapshot().cross_tab, CrossTab::InTab);
    let calls = world.backend.borrow().refresh_calls;
    let (a, b, c) = (tab.clone(), tab.clone(), tab.clone());
    world.block_on(async move {
        futures::join!(
            a.access_token(Some("stale")),
            b.fetch_access_token(Wanted::Replacement),
            c.refresh().wait()
        )
    });
    assert_eq!(
        world.backend.borrow().refresh_calls,
        calls + 1,
        "single flight in the tab"
    );
    assert!(tab.snapshot().has_token);
}

#[test]
fn a_lock_that_is_never_released_bounds_every_wait() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    world.hold_lock_forever();
    world.advance(3_541_000.0); // the refresh window opens; the lock never comes
    let waiting = tab.clone();
    let token =
        world.block_on(async move { waiting.fetch_access_token(Wanted::Replacement).await });
    assert!(
        token.is_some(),
        "the current token, still valid, rather than a hang"
    );
    let state = tab.snapshot();
    assert_eq!(state.last_error.unwrap().code(), "ERR_LOCK_TIMEOUT");
    assert!(state.is_authenticated && state.refresh_failures >= 1);
}

#[test]
fn an_outage_across_the_refresh_window_never_signs_out() {
    for fault in [Fault::Refuse, Fault::Unavailable, Fault::Hang] {
        for mode in [Mode::Direct, cookie_mode()] {
            let world = World::new(LIFETIME);
            let tab = world.open_tab(mode.clone());
            sign_in(&world, &tab);
            world.backend.borrow_mut().fault = fault;
            world.advance(3.0 * LIFETIME as f64 * 1000.0);
            let state = tab.snapshot();
            assert!(state.is_authenticated, "{fault:?} {mode:?}: {state:?}");
            assert!(!state.has_token, "the token has expired meanwhile");
            assert!(
                state.refresh_failures >= 2,
                "{fault:?}: {}",
                state.refresh_failures
            );
            let code = state.last_error.unwrap().code();
            let expected = if fault == Fault::Unavailable {
                "ERR_HTTP_STATUS"
            } else {
                "ERR_NETWORK_OR_CORS"
            };
            assert_eq!(code, expected, "{fault:?}");
            if mode == Mode::Direct {
                assert_eq!(world.storage.borrow().len(), 2, "tokens kept");
            }
            // While backing off, callers do not hammer the deployment.
            let calls = world.backend.borrow().refresh_calls;
            let asking = tab.clone();
            assert_eq!(
                world.block_on(async move { asking.access_token(None).await }),
                None
            );
            assert_eq!(world.backend.borrow().refresh_calls, calls);
            world.backend.borrow_mut().fault = Fault::None;
            world.advance(61_000.0);
            let state = tab.snapshot();
            assert!(
                state.has_token && state.refresh_failures == 0,
                "{fault:?}: {state:?}"
            );
        }
    }
}

#[test]
fn a_reused_refresh_token_signs_out_cleanly_once() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let stolen = world.storage.borrow().clone();
    world.advance(LIFETIME as f64 * 1000.0); // the stored refresh token is used and rotated
    world.advance(11_000.0); // past the reuse window
    drop(tab);
    *world.storage.borrow_mut() = stolen;
    let calls = world.backend.borrow().refresh_calls;
    let replay = world.open_tab(Mode::Direct);
    world.advance(5_000.0);
    let state = replay.snapshot();
    assert!(!state.is_authenticated && !state.is_loading, "{state:?}");
    assert!(state.last_error.is_none(), "a clean sign-out, not an error");
    assert_eq!(
        world.backend.borrow().refresh_calls,
        calls + 1,
        "no retry loop"
    );
    assert!(world.storage.borrow().is_empty());
}

#[test]
fn a_401_refreshes_once_and_retries_with_the_new_token() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let old = token_of(&world, &tab, Wanted::Current).unwrap();
    world
        .backend
        .borrow_mut()
        .rejected_bearers
        .push(old.clone());
    world.advance(1500.0); // the new token gets a later iat
    let calling = tab.clone();
    let value = world.block_on(async move {
        calling
            .call_function(FunctionKind::Query, "users:me", &value(json!({})))
            .await
    });
    assert_eq!(helper::serde(&value.unwrap())["authenticated"], true);
    let calls = world.backend.borrow().function_calls.clone();
    assert_eq!(
        calls.len(),
        1,
        "the rejected attempt never reached the function"
    );
    assert_ne!(calls[0].1.as_deref(), Some(old.as_str()));
    assert!(issued_at(calls[0].1.as_deref().unwrap()) > issued_at(&old));
}

#[test]
fn the_code_exchange_uses_the_stored_verifier_and_cleans_the_address_bar() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    let outcome = start_sign_in(&world, &tab, "github");
    let Ok(SignInOutcome::Redirect(redirect)) = outcome else {
        panic!("{outcome:?}")
    };
    let code = redirect.split("state=").nth(1).unwrap().to_owned();
    let location = format!("https://app.example.com/welcome?code={code}&tab=2#top");
    let exchanging = tab.clone();
    let signed_in = world.block_on(async move { exchanging.handle_code(&location).await });
    assert!(signed_in.unwrap());
    assert_eq!(
        *tab.platform().replaced_urls.borrow(),
        ["https://app.example.com/welcome?tab=2#top"]
    );
    assert!(tab.snapshot().is_authenticated);
    let keys = world.storage.borrow();
    assert!(
        !keys
            .keys()
            .any(|k| k.starts_with("__convexAuthOAuthVerifier"))
    );
    assert!(keys.keys().any(|k| k.starts_with("__convexAuthJWT")));
    drop(keys);
    // A page without a code: nothing happens.
    let idle = tab.clone();
    assert!(
        !world
            .block_on(async move { idle.handle_code("https://app.example.com/").await })
            .unwrap()
    );
}

#[test]
fn a_refused_code_is_reported_and_the_session_kept() {
    // A spent or forged code: Convex Auth answers {"tokens":null} — this sign-in failed, the
    // session the browser has stays (the official client signs it out).
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let exchanging = tab.clone();
    let result = world.block_on(async move {
        exchanging
            .handle_code("https://app.example.com/welcome?code=spent")
            .await
    });
    assert_eq!(result.unwrap_err().code(), "ERR_SIGN_IN_FAILED");
    let state = tab.snapshot();
    assert!(state.is_authenticated && state.has_token, "{state:?}");
    assert_eq!(
        state.last_error.map(|e| e.code()),
        Some("ERR_SIGN_IN_FAILED")
    );
    assert_eq!(
        *tab.platform().replaced_urls.borrow(),
        ["https://app.example.com/welcome"]
    );
    assert_eq!(world.storage.borrow().len(), 2, "tokens kept");
}

#[test]
fn an_oauth_sign_in_back_from_another_site_without_a_code_says_so() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    start_sign_in(&world, &tab, "github").unwrap();
    // Reloaded from the app itself: an OAuth still under way elsewhere is left alone.
    *tab.platform().referrer.borrow_mut() = Some("https://app.example.com/signin".into());
    let here = tab.clone();
    assert!(
        !world
            .block_on(async move { here.handle_code("https://app.example.com/").await })
            .unwrap()
    );
    assert_eq!(tab.snapshot().last_error, None);
    // Back from the provider with nothing (refused, cancelled).
    *tab.platform().referrer.borrow_mut() = Some("https://github.com/".into());
    let back = tab.clone();
    assert!(
        !world
            .block_on(async move { back.handle_code("https://app.example.com/").await })
            .unwrap()
    );
    let state = tab.snapshot();
    assert_eq!(
        state.last_error.map(|e| e.code()),
        Some("ERR_SIGN_IN_INCOMPLETE")
    );
    assert!(!state.is_authenticated);
    assert!(
        !world
            .storage
            .borrow()
            .keys()
            .any(|k| k.starts_with("__convexAuthOAuthVerifier")),
        "the verifier is spent"
    );
}

#[test]
fn sign_out_reaches_every_tab_and_the_server() {
    for mode in [Mode::Direct, cookie_mode()] {
        let (world, tabs) = three_signed_in_tabs(mode.clone());
        let leaving = tabs[2].clone();
        world
            .block_on(async move { leaving.sign_out().await })
            .unwrap();
        world.run();
        for tab in &tabs {
            assert!(!tab.snapshot().is_authenticated, "{mode:?}");
        }
        assert_eq!(world.backend.borrow().sign_out_calls, 1);
        assert!(world.storage.borrow().is_empty() && world.cookie.borrow().is_none());
    }
}

/// A signed-in tab with `lifetime`-second tokens and the token a Convex client got first.
fn client_with_token(lifetime: i64) -> (Rc<World>, Rc<SessionCore<Tab>>, String) {
    let world = World::new(lifetime);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    let token = token_of(&world, &tab, Wanted::Current).unwrap();
    (world, tab, token)
}

/// A Convex client's fetch, left running while time is driven; its answer lands in the slot.
fn ask_in_background(
    world: &Rc<World>,
    tab: &Rc<SessionCore<Tab>>,
    wanted: Wanted,
) -> Rc<std::cell::RefCell<Option<Option<String>>>> {
    let asking = tab.clone();
    world.start(async move { asking.fetch_access_token(wanted).await })
}

#[test]
fn a_convex_client_is_never_handed_null_while_a_hung_refresh_outlives_the_token() {
    // Convex Auth 2's 60 s tokens; the deployment hangs across the expiry, then recovers.
    let (world, tab, first) = client_with_token(60);
    world.backend.borrow_mut().fault = Fault::Hang;
    let answer = ask_in_background(&world, &tab, Wanted::Successor);
    world.advance(120_000.0);
    assert!(!tab.snapshot().has_token, "expired during the outage");
    assert!(tab.snapshot().is_authenticated, "the session holds");
    assert_eq!(*answer.borrow(), None, "still waiting: no null handed out");
    world.backend.borrow_mut().fault = Fault::None;
    world.advance(61_000.0); // past the longest backoff
    let token = answer
        .borrow_mut()
        .take()
        .expect("answered once a token was back");
    assert!(token.is_some_and(|t| t != first));
    // A sign-out ends such a wait with null (its own refresh attempt hangs too).
    world.backend.borrow_mut().fault = Fault::Hang;
    world.advance(120_000.0);
    let answer = ask_in_background(&world, &tab, Wanted::Current);
    world.advance(30_000.0);
    assert_eq!(*answer.borrow(), None, "waiting");
    let leaving = tab.clone();
    world
        .block_on(async move { leaving.sign_out().await })
        .unwrap();
    assert_eq!(answer.borrow_mut().take(), Some(None));
}

#[test]
fn a_replacement_is_never_the_refused_token_itself() {
    // The client's server refused its token and the refresh fails: handing the same token back
    // would read as "no new token" (the client drops its auth); it waits for the next one.
    let (world, tab, given) = client_with_token(60);
    world.backend.borrow_mut().fault = Fault::Unavailable;
    let answer = ask_in_background(&world, &tab, Wanted::Replacement);
    world.advance(5_000.0);
    assert!(tab.snapshot().refresh_failures >= 1, "the refresh failed");
    assert_eq!(
        *answer.borrow(),
        None,
        "still waiting, not handed the same token"
    );
    world.backend.borrow_mut().fault = Fault::None;
    world.advance(61_000.0);
    let token = answer
        .borrow_mut()
        .take()
        .expect("answered once a refresh succeeded");
    assert!(token.is_some_and(|t| t != given));
}

#[test]
fn a_wait_for_a_token_ends_when_refreshes_keep_failing_with_a_4xx() {
    // A proxy that refuses the route is a configuration problem: the Convex client is not left
    // paused for ever (its queries run signed out); the session itself is kept.
    let (world, tab, _) = client_with_token(60);
    world.backend.borrow_mut().fault = Fault::Forbidden;
    world.advance(61_000.0); // expired, two or more refusals
    let answer = ask_in_background(&world, &tab, Wanted::Current);
    world.advance(10_000.0);
    assert_eq!(*answer.borrow(), Some(None));
    assert!(tab.snapshot().is_authenticated, "the session is kept");
}

#[test]
fn a_refresh_that_hangs_once_is_retried_before_the_token_expires() {
    for lifetime in [60, 120, 300, 3600] {
        let world = World::new(lifetime);
        let tab = world.open_tab(Mode::Direct);
        sign_in(&world, &tab);
        world.backend.borrow_mut().fault = Fault::HangOnce;
        for second in 0..lifetime + 5 {
            world.advance(1000.0);
            assert!(
                tab.snapshot().has_token,
                "lifetime {lifetime}: no token at {second} s"
            );
        }
        let backend = world.backend.borrow();
        assert_eq!(
            backend.timeouts_ms.len(),
            1,
            "lifetime {lifetime}: one attempt hung"
        );
        assert!(
            backend.timeouts_ms[0] <= 20_000,
            "{:?}",
            backend.timeouts_ms
        );
        assert!(backend.refresh_calls >= 1, "lifetime {lifetime}: retried");
    }
}

#[test]
fn a_sign_out_with_an_expired_jwt_refreshes_first_so_the_server_ends_the_session() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    world.backend.borrow_mut().fault = Fault::Unavailable;
    world.advance(3.0 * LIFETIME as f64 * 1000.0);
    assert!(
        !tab.snapshot().has_token,
        "expired during the outage, backing off"
    );
    world.backend.borrow_mut().fault = Fault::None;
    let leaving = tab.clone();
    world
        .block_on(async move { leaving.sign_out().await })
        .unwrap();
    assert!(!tab.snapshot().is_authenticated);
    assert_eq!(world.backend.borrow().sign_out_calls, 1);
    assert_eq!(
        world.backend.borrow().live_sessions(),
        0,
        "ended on the server too"
    );
}

#[test]
fn a_sign_in_that_would_navigate_to_a_non_http_url_is_refused() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    let outcome = start_sign_in(&world, &tab, "hostile");
    let error = outcome.unwrap_err();
    assert_eq!(error.code(), "ERR_REDIRECT_REFUSED");
    assert!(error.to_string().contains("javascript:"), "{error}");
}

#[test]
fn sign_out_forgets_an_unfinished_oauth_verifier() {
    let world = World::new(3600);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    start_sign_in(&world, &tab, "github").unwrap();
    let has_verifier = |world: &World| {
        world
            .storage
            .borrow()
            .keys()
            .any(|k| k.starts_with("__convexAuthOAuthVerifier"))
    };
    assert!(has_verifier(&world));
    let leaving = tab.clone();
    world
        .block_on(async move { leaving.sign_out().await })
        .unwrap();
    assert!(!has_verifier(&world));
}

#[test]
fn a_page_load_with_a_fresh_stored_token_makes_no_refresh_call() {
    let world = World::new(3600);
    let first = world.open_tab(Mode::Direct);
    sign_in(&world, &first);
    world.advance(60_000.0);
    let calls = world.backend.borrow().refresh_calls;
    let reloaded = world.open_tab(Mode::Direct);
    world.advance(1_000.0);
    assert!(reloaded.snapshot().is_authenticated && !reloaded.snapshot().is_loading);
    assert_eq!(world.backend.borrow().refresh_calls, calls);
    // Cookie mode with the server's JWT handed over: the same.
    let world = World::new(3600);
    let tab = world.open_tab(cookie_mode());
    sign_in(&world, &tab);
    let token = token_of(&world, &tab, Wanted::Current).unwrap();
    let calls = world.backend.borrow().refresh_calls;
    let hydrated = world.open_tab_with(cookie_mode(), Hydrated::Token(token.clone()));
    world.advance(1_000.0);
    assert!(hydrated.snapshot().is_authenticated);
    assert_eq!(token_of(&world, &hydrated, Wanted::Current), Some(token));
    assert_eq!(world.backend.borrow().refresh_calls, calls);
    // The server saw no session: signed out at once, no call through the route.
    let sign_ins = world.backend.borrow().sign_in_calls;
    let anonymous = world.open_tab_with(cookie_mode(), Hydrated::SignedOut);
    world.advance(1_000.0);
    let state = anonymous.snapshot();
    assert!(!state.is_loading && !state.is_authenticated);
    assert_eq!(
        world.backend.borrow().sign_in_calls,
        sign_ins,
        "no refresh for an anonymous page"
    );
}

#[test]
fn disposed_sessions_refuse_calls_and_arm_nothing() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    tab.dispose();
    assert_eq!(*tab.platform().timer.borrow(), None);
    let calling = tab.clone();
    let err = world
        .block_on(async move {
            calling
                .call_function(FunctionKind::Query, "a:b", &value(json!({})))
                .await
        })
        .unwrap_err();
    assert_eq!(err.client(), Some(&ClientError::Disposed));
    let calls = world.backend.borrow().refresh_calls;
    world.advance(5.0 * LIFETIME as f64 * 1000.0);
    assert_eq!(world.backend.borrow().refresh_calls, calls);
}

#[test]
fn listeners_hear_when_an_outage_outlasts_the_token() {
    let world = World::new(LIFETIME);
    let tab = world.open_tab(Mode::Direct);
    sign_in(&world, &tab);
    world.backend.borrow_mut().fault = Fault::Refuse;
    world.advance(17_500.0); // failed attempts at 10, 11, 13 and 17 s; the next is at 25 s
    assert!(tab.snapshot().has_token);
    let changes = tab.platform().changes.get();
    world.advance(4_000.0); // the token expires at 20 s, between two attempts
    assert!(!tab.snapshot().has_token);
    assert!(
        tab.platform().changes.get() > changes,
        "the expiry was announced"
    );
}
