//! The session engine in Convex Auth 2's dialect under a fake clock, fake tabs sharing storage
//! and the Web Lock, and a fake deployment (tests/helper/world.rs) answering `refreshSession`
//! with `{kind}`: one refresh per token lifetime across tabs with no refresh token presented
//! twice, outages that sign nobody out, `noSession` that signs every tab out, and a sign-out the
//! deployment could not confirm.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

mod helper;

use std::collections::HashSet;
use std::rc::Rc;

use convex_auth_wasm::core::client::dialect::session_tokens;
use convex_auth_wasm::core::client::manager::SessionCore;
use helper::world::{Fault, Tab, World};

const LIFETIME: i64 = 20;

/// Three Convex Auth 2 tabs, the first given a new session by `setSession`.
fn three_tabs() -> (Rc<World>, Vec<Rc<SessionCore<Tab>>>) {
    let world = World::new(LIFETIME);
    let tabs: Vec<_> = (0..3).map(|_| world.open_v2_tab()).collect();
    let now = world.clock.get();
    let (token, refresh) = world.backend.borrow_mut().v2_sign_in(now);
    let first = tabs[0].clone();
    world
        .block_on(async move {
            let tokens = session_tokens(Some(token), Some(refresh), false)?;
            first.set_session(tokens).await
        })
        .unwrap();
    world.advance(1000.0);
    for tab in &tabs {
        assert!(tab.snapshot().is_authenticated);
    }
    (world, tabs)
}

fn storage_is_empty(world: &World) -> bool {
    world
        .storage
        .borrow()
        .keys()
        .all(|k| !k.starts_with("__convexAuth"))
}

fn presented_twice(world: &World) -> usize {
    let presented = &world.backend.borrow().presented;
    presented.len() - presented.iter().collect::<HashSet<_>>().len()
}

#[test]
fn three_tabs_refresh_once_per_lifetime_with_no_refresh_token_presented_twice() {
    let (world, tabs) = three_tabs();
    world.advance(10.0 * LIFETIME as f64 * 1000.0);
    // A 20 s token is refreshed 10 s before it expires: one refresh per 10 s, across all tabs.
    let calls = world.backend.borrow().refresh_calls;
    assert!((19..=21).contains(&calls), "refreshes: {calls}");
    assert_eq!(presented_twice(&world), 0);
    let token = tabs[0].current_token();
    assert!(token.is_some());
    for tab in &tabs {
        assert_eq!(tab.current_token(), token, "every tab holds the same token");
    }
    assert_eq!(world.backend.borrow().live_sessions(), 1);
}

#[test]
fn an_outage_signs_nobody_out_and_no_session_signs_every_tab_out() {
    let (world, tabs) = three_tabs();
    for fault in [Fault::Refuse, Fault::Unavailable, Fault::Hang] {
        world.backend.borrow_mut().fault = fault;
        world.advance(3.0 * LIFETIME as f64 * 1000.0);
        for tab in &tabs {
            let state = tab.snapshot();
            assert!(state.is_authenticated, "{fault:?}: still signed in");
            assert!(state.refresh_failures > 0);
        }
        world.backend.borrow_mut().fault = Fault::None;
        // The backoff reaches 60 s (jittered): the next attempt comes within it.
        world.advance(70_000.0);
        assert!(tabs[0].current_token().is_some(), "{fault:?}: resumed");
    }
    // The session ends at the deployment (another device signed it out): the next refresh's
    // `{kind:"noSession"}` signs every tab out and clears storage.
    let refresh = world
        .storage
        .borrow()
        .iter()
        .find(|(k, _)| k.starts_with("__convexAuthRefreshToken_"))
        .map(|(_, v)| v.clone())
        .unwrap();
    world.backend.borrow_mut().end_session_of(&refresh);
    world.advance(LIFETIME as f64 * 1000.0);
    for tab in &tabs {
        let state = tab.snapshot();
        assert!(!state.is_authenticated && !state.is_loading);
    }
    assert!(storage_is_empty(&world));
}

#[test]
fn a_sign_out_the_deployment_cannot_confirm_still_ends_the_session_everywhere() {
    let (world, tabs) = three_tabs();
    world.backend.borrow_mut().fault = Fault::Refuse;
    let first = tabs[0].clone();
    let outcome = world.block_on(async move { first.sign_out().await });
    assert_eq!(outcome.unwrap_err().code(), "ERR_SIGN_OUT_UNCONFIRMED");
    world.advance(1000.0);
    for tab in &tabs {
        assert!(!tab.snapshot().is_authenticated);
    }
    assert!(storage_is_empty(&world));
    // Confirmed when the deployment answers: its session is gone too.
    let (world, tabs) = three_tabs();
    let first = tabs[0].clone();
    world
        .block_on(async move { first.sign_out().await })
        .unwrap();
    assert_eq!(world.backend.borrow().live_sessions(), 0);
}
