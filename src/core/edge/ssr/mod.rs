//! Convex Auth 2's server routes (`convex-auth-wasm/ssr`): who may call them, what the
//! deployment's answer to `refreshSession`, `signOut` or a sign-in means for the cookies and for
//! the browser, and the cookies' `Set-Cookie` lines. The official 2.0.0 names and wire, without
//! its defects: only `{kind:"noSession"}` ends a session, a deployment that fails or does not
//! answer is a 503 with a stable code (never a 500, never a sign-out), and sign-out clears the
//! cookies whatever the deployment says while saying whether it confirmed. The glue in `js/ssr/`
//! makes the requests.

pub mod answer;
pub mod cookies;
pub mod origin;
pub mod proxy;
pub mod session;

pub use answer::{SsrAnswer, forbidden_answer, refresh_answer, sign_out_answer};
pub use cookies::{CookieChange, CookieOptions, set_cookie_lines};
pub use origin::is_trusted_origin;
pub use proxy::{ProxyCall, ProxyReply, proxy_answer, proxy_call};
pub use session::{RefreshOutcome, SessionTokens, SignOutOutcome, judge_refresh, judge_sign_out};
