"use client";
// The Convex Auth 2 demo, in either mode: sign-up/sign-in with the username + password method's
// hooks (and, in spa mode, the username + passkey and email + password methods'), live notes on
// ConvexReactClient, an HTTP action on the site origin through the session's authed fetch, and
// sign-out.
import { useState, type FormEvent } from "react";
import { useConvexAuth, useMutation, useQuery } from "convex/react";
import { useAuthActions, useSession, useSessionManager } from "convex-auth-wasm/react";
import { useSignInWithUsernamePassword, useSignUpWithUsernamePassword } from "convex-auth-wasm/methods/username-password/react";
import type { ConvexAuthError } from "convex-auth-wasm/client";
import { apiV2 as api } from "../../lib/api-v2";
import { EmailCredentials } from "./email-demo";
import { PasskeyCredentials, Passkeys } from "./passkey-demo";

/** Navigates to `path` unless the page is there already (the session's state updates the page). */
const goTo = (path: string) => {
  if (location.pathname !== path) location.assign(path);
};
const describe = (e: unknown) => `${(e as ConvexAuthError).code ?? "ERR_UNKNOWN"}: ${(e as Error).message}`;

export function V2Demo({ mode, home }: { mode: "spa" | "ssr"; home: string }) {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const state = useSession();
  return (
    <>
      <p>
        Convex Auth 2, <strong>{mode}</strong> mode: <span id="v2-auth">{isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"}</span>
        {state.refreshFailures > 0 && <span className="error"> — {state.refreshFailures} failed refresh(es), retrying; still signed in</span>}
      </p>
      {isAuthenticated ? <SignedIn home={home} /> : <Credentials home={home} />}
      {!isAuthenticated && mode === "spa" && <PasskeyCredentials onSignedIn={() => goTo(home)} />}
      {!isAuthenticated && mode === "spa" && <EmailCredentials onSignedIn={() => goTo(home)} />}
    </>
  );
}

function Credentials({ home }: { home: string }) {
  const { signIn, pending } = useSignInWithUsernamePassword(api.auth);
  const { signUp } = useSignUpWithUsernamePassword(api.auth);
  const [error, setError] = useState<string | null>(null);
  async function submit(form: HTMLFormElement, flow: "signIn" | "signUp") {
    const data = new FormData(form);
    const credentials = { username: String(data.get("username")), password: String(data.get("password")) };
    setError(null);
    const result = await (flow === "signIn" ? signIn(credentials) : signUp(credentials));
    if (result.status === "complete") goTo(home);
    else setError("userError" in result ? String((result.userError as { error: string }).error) : result.status);
  }
  return (
    <section>
      <form id="v2-signin" onSubmit={(e: FormEvent<HTMLFormElement>) => (e.preventDefault(), void submit(e.currentTarget, "signIn"))}>
        <label>Username <input name="username" autoComplete="username" required /></label>
        <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
        <button type="submit" id="v2-sign-in" disabled={pending}>Sign in</button>
        <button type="button" id="v2-sign-up" onClick={(e) => void submit(e.currentTarget.form!, "signUp")}>Sign up</button>
      </form>
      {error && <p className="error" id="v2-error">{error}</p>}
    </section>
  );
}

function SignedIn({ home }: { home: string }) {
  const { signOut } = useAuthActions();
  const session = useSessionManager();
  const notes = useQuery(api.notes.list);
  const add = useMutation(api.notes.add);
  const me = useQuery(api.users.me);
  const [whoami, setWhoami] = useState<string | null>(null);
  async function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    await add({ text: String(new FormData(form).get("text")) });
    form.reset();
  }
  async function callAction() {
    try {
      const res = await session!.fetch("/whoami"); // the site origin only; the JWT never leaves it
      setWhoami(`${res.status} ${await res.text()}`);
    } catch (e) {
      setWhoami(describe(e));
    }
  }
  async function leave() {
    await signOut().catch((e) => console.warn(describe(e))); // ended here even when unconfirmed
    goTo(home.replace(/\/dashboard$/, ""));
  }
  return (
    <>
      <section>
        <p>Signed in as <strong id="v2-me">{me ? (me.username ?? me.email) : "…"}</strong></p>
        <button id="v2-sign-out" onClick={leave}>Sign out</button>
        <button id="v2-whoami" onClick={callAction}>Call the /whoami HTTP action</button>
        {whoami && <pre id="v2-whoami-result">{whoami}</pre>}
      </section>
      <Passkeys />
      <section>
        <h2>Notes (live in every tab)</h2>
        <form onSubmit={addNote}>
          <input name="text" id="v2-note-text" required /> <button id="v2-add-note">Add</button>
        </form>
        <p id="v2-notes-state">{notes === undefined ? "loading" : notes === null ? "signed out" : `${notes.length} note(s)`}</p>
        <ul id="v2-notes">{notes?.map((note) => <li key={note.id}>{note.text}</li>)}</ul>
      </section>
    </>
  );
}
