"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { ConvexAuthError } from "convex-auth-wasm/client";
import { MODE_KEY, useSession } from "./session";

export function SignIn({ notice }: { notice: string | null }) {
  const { session, mode, state } = useSession();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const home = mode === "cookie" ? "/dashboard" : "/local";

  async function submit(event: FormEvent<HTMLFormElement>, flow: "signIn" | "signUp") {
    event.preventDefault();
    if (!session) return;
    const form = new FormData(event.currentTarget.form ?? event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await session.signIn("password", { email: form.get("email"), password: form.get("password"), flow });
      router.push(home);
    } catch (e) {
      const err = e as ConvexAuthError;
      setError(`${err.code}: ${err.message}`);
    } finally {
      setBusy(false);
    }
  }

  const [linkSent, setLinkSent] = useState(false);
  async function sendLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!session) return;
    const email = new FormData(event.currentTarget).get("email");
    setError(null);
    try {
      const result = await session.signIn("magic-link", { email, redirectTo: home });
      setLinkSent(result.started === true);
    } catch (e) {
      const err = e as ConvexAuthError;
      setError(`${err.code}: ${err.message}`);
    }
  }

  function switchMode() {
    localStorage.setItem(MODE_KEY, mode === "cookie" ? "localStorage" : "cookie");
    location.reload();
  }

  return (
    <>
      {notice && <p className="error" id="notice">{notice}</p>}
      <section>
        <h2>Sign in or sign up</h2>
        <form id="signin" onSubmit={(e) => submit(e, "signIn")}>
          <label>Email <input name="email" type="email" required autoComplete="username" /></label>
          <label>Password <input name="password" type="password" required minLength={8} autoComplete="current-password" /></label>
          <button type="submit" disabled={busy} id="sign-in">Sign in</button>
          <button type="button" disabled={busy} id="sign-up" onClick={(e) => submit(e as unknown as FormEvent<HTMLFormElement>, "signUp")}>
            Sign up
          </button>
        </form>
        {error && <p className="error" id="error">{error}</p>}
        <form id="magic-link" onSubmit={sendLink}>
          <label>Email <input name="email" type="email" required /></label>
          <button type="submit" id="send-link">Email me a sign-in link</button>
        </form>
        {linkSent && <p id="link-sent">Link sent — the local backend prints it in its terminal.</p>}
        {state.isAuthenticated && <p>Signed in as <code>{state.userId}</code> — <a href={home}>dashboard</a></p>}
      </section>
      <section>
        <p>
          Mode: <strong id="mode">{mode}</strong>{" "}
          {mode === "cookie"
            ? "— the refresh token lives in an httpOnly cookie set by /api/auth; proxy.ts guards /dashboard."
            : "— tokens in localStorage under the official client's keys; /local is the dashboard."}
        </p>
        <button onClick={switchMode} id="switch-mode">Switch to {mode === "cookie" ? "localStorage" : "cookie"} mode</button>
      </section>
    </>
  );
}
