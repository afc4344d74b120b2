"use client";
// The same Convex Auth 2 app on the official 2.0.0 React provider, on the same localStorage keys
// as /v2 (ours): switch back and forth and nobody is signed out.
import { useState, type FormEvent } from "react";
import { ConvexReactClient, useConvexAuth, useMutation, useQuery } from "convex/react";
import { ConvexAuthProvider, useAuthActions } from "@convex-dev/auth-v2/react";
import { useSignInWithUsernamePassword } from "@convex-dev/auth-v2/methods/username-password/react";
import type { DeploymentConfig } from "../../../lib/config";
import { apiV2 as api } from "../../../lib/api-v2";

export function OfficialV2({ config }: { config: DeploymentConfig }) {
  const [client] = useState(() => new ConvexReactClient(config.convexUrl));
  return (
    <ConvexAuthProvider
      client={client}
      api={{ refreshSession: api.auth.refreshSession, signOut: api.auth.signOut, isAuthenticated: api.auth.isAuthenticated }}
    >
      <Official />
    </ConvexAuthProvider>
  );
}

function Official() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const { signIn } = useSignInWithUsernamePassword(api.auth);
  const { signOut } = useAuthActions();
  const me = useQuery(api.users.me, isAuthenticated ? {} : "skip");
  const notes = useQuery(api.notes.list, isAuthenticated ? {} : "skip");
  const add = useMutation(api.notes.add);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    await signIn({ username: String(data.get("username")), password: String(data.get("password")) });
  }
  async function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    await add({ text: String(new FormData(form).get("text")) });
    form.reset();
  }
  return (
    <>
      <p>
        Official provider: <span id="v2-auth">{isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"}</span>
      </p>
      {isAuthenticated ? (
        <section>
          <p>Signed in as <strong id="v2-me">{me?.username ?? "…"}</strong></p>
          <button id="v2-sign-out" onClick={() => void signOut()}>Sign out</button>
          <form onSubmit={addNote}>
            <input name="text" id="v2-note-text" required /> <button id="v2-add-note">Add</button>
          </form>
          <p id="v2-notes-state">{notes === undefined ? "loading" : `${notes?.length ?? 0} note(s)`}</p>
        </section>
      ) : (
        <form id="v2-signin" onSubmit={submit}>
          <label>Username <input name="username" required /></label>
          <label>Password <input name="password" type="password" required /></label>
          <button type="submit" id="v2-sign-in">Sign in</button>
        </form>
      )}
    </>
  );
}
