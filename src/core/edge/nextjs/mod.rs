//! The Next.js server half's decisions (`convex-auth-wasm/nextjs/server`): what a page request
//! needs (refresh, clear, nothing), what the auth route accepts (the CSRF rule), what an
//! `auth:signIn` answer means for the cookies and the client, which cookie names, what the page
//! is hydrated with. The glue in `js/nextjs/` makes the requests and sets the cookies.

pub mod answer;
pub mod page;
pub mod route;

pub use answer::{CookieChange, Outcome, Purpose, Reply, RouteAnswer, judge, route_answer};
pub use page::{
    CODE_FROM_ELSEWHERE, Hydration, PageStep, code_exchange, code_exchange_permitted, hydration,
    oauth_return_without_code, page_is_cross_site, page_step, refresh_due,
    sign_out_refreshes_first,
};
pub use route::{Refusal, RouteCall, is_cross_site, route_call};

/// How long a refresh's result is shared with later requests carrying the same refresh token
/// (they raced the browser storing the new cookies), in milliseconds: inside Convex Auth's 10 s
/// reuse window.
pub const SHARED_REFRESH_MS: f64 = 5_000.0;

/// The most the auth route reads of a request body: a sign-in's arguments are a few hundred
/// bytes; anything near this is not a browser signing in.
pub const MAX_ROUTE_BODY_BYTES: usize = 64 * 1024;

/// Timeout of a call from the server to the deployment, in milliseconds.
pub const CONVEX_TIMEOUT_MS: u32 = 10_000;
