"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useAuthActions, useSession, useSessionManager } from "convex-auth-wasm/react";
import type { ConvexAuthError } from "convex-auth-wasm/client";
import { useMode } from "./providers";
import { MODE_COOKIE } from "../../lib/mode";

const describe = (e: unknown) => `${(e as ConvexAuthError).code ?? "ERR_UNKNOWN"}: ${(e as Error).message}`;

export function SignIn({ notice }: { notice: string | null }) {
  const { signIn } = useAuthActions();
  const state = useSession();
  const mode = useMode();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [working, setBusy] = useState(false);
  const started = useSessionManager() !== null;
  const busy = working || !started; // enabled once the session has started
  const [linkSent, setLinkSent] = useState(false);
  const home = mode === "cookie" ? "/dashboard" : "/local";

  async function submit(form: HTMLFormElement, flow: "signIn" | "signUp") {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      await signIn("password", { email: data.get("email"), password: data.get("password"), flow });
      router.push(home);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }

  async function sendLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get("email");
    setError(null);
    try {
      const result = await signIn("magic-link", { email, redirectTo: home });
      setLinkSent(!result.signingIn && result.redirect === undefined);
    } catch (e) {
      setError(describe(e));
    }
  }

  async function signInWithProvider() {
    setError(null);
    try {
      await signIn("oidc", { redirectTo: home }); // the browser goes to the provider
    } catch (e) {
      setError(describe(e));
    }
  }

  function switchMode() {
    document.cookie = `${MODE_COOKIE}=${mode === "cookie" ? "localStorage" : "cookie"}; path=/; samesite=lax`;
    location.reload();
  }

  return (
    <>
      {notice && <p className="error" id="notice">{notice}</p>}
      <section>
        <h2>Sign in or sign up</h2>
        <form
          id="signin"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(e.currentTarget, "signIn");
          }}
        >
          <label>Email <input name="email" type="email" required autoComplete="username" /></label>
          <label>Password <input name="password" type="password" required minLength={8} autoComplete="current-password" /></label>
          <button type="submit" disabled={busy} id="sign-in">Sign in</button>
          <button type="button" disabled={busy} id="sign-up" onClick={(e) => e.currentTarget.form && void submit(e.currentTarget.form, "signUp")}>
            Sign up
          </button>
        </form>
        {error && <p className="error" id="error">{error}</p>}
        <form id="magic-link" onSubmit={sendLink}>
          <label>Email <input name="email" type="email" required /></label>
          <button type="submit" disabled={busy} id="send-link">Email me a sign-in link</button>
        </form>
        {linkSent && <p id="link-sent">Link sent — the local backend prints it in its terminal.</p>}
        <button type="button" disabled={busy} id="sign-in-oidc" onClick={() => void signInWithProvider()}>
          Sign in with the local OpenID provider
        </button>{" "}
        <span className="muted">(when the backend was started with one: AUTH_OIDC_ISSUER)</span>
        {state.lastError && <p className="error" id="last-error">{describe(state.lastError)}</p>}
        {state.isAuthenticated && <p>Signed in as <code>{state.userId}</code> — <a href={home}>dashboard</a></p>}
      </section>
      <section>
        <p>
          Mode: <strong id="mode">{mode}</strong>{" "}
          {mode === "cookie"
            ? "— the refresh token lives in an httpOnly cookie set by /api/auth; proxy.ts guards /dashboard."
            : "— tokens in localStorage under the official client's keys; /local is the dashboard."}
        </p>
        <button onClick={switchMode} id="switch-mode">Switch to {mode === "cookie" ? "localStorage" : "cookie"} mode</button>{" "}
        <a href="/official">The same app on the official <code>@convex-dev/auth/react</code> provider</a>
      </section>
    </>
  );
}
