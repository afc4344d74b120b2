"use client";
import { useState, type FormEvent } from "react";
import { useConvexAuth, useMutation, useQuery } from "convex/react";
import { useAuthActions } from "@convex-dev/auth/react";
import { api } from "@/convex/_generated/api";

export default function OfficialPage() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const { signIn, signOut } = useAuthActions();
  const notes = useQuery(api.notes.list);
  const addNote = useMutation(api.notes.add);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    try {
      await signIn("password", data);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    await addNote({ text: String(new FormData(form).get("text") ?? "") });
    form.reset();
  }

  return (
    <>
      <h1>Official provider</h1>
      <p className="muted">
        <code>@convex-dev/auth/react</code>&apos;s <code>ConvexAuthProvider</code> on the same deployment and the same
        localStorage keys as the demo&apos;s localStorage mode. <a href="/">Back to the demo</a>
      </p>
      <p>
        <code>useConvexAuth()</code>: <strong id="convex-auth">{isLoading ? "loading" : isAuthenticated ? "authenticated" : "unauthenticated"}</strong>
      </p>
      {!isLoading && !isAuthenticated && (
        <form id="official-signin" onSubmit={submit}>
          <input type="hidden" name="flow" value="signUp" />
          <label>Email <input name="email" type="email" required /></label>
          <label>Password <input name="password" type="password" required minLength={8} /></label>
          <button type="submit" id="official-sign-up">Sign up</button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
      {isAuthenticated && (
        <>
          <p id="notes-state">{notes === undefined ? "loading" : notes === null ? "signed out: no notes" : `${notes.length} note(s)`}</p>
          <ul id="notes">{notes?.map((note) => <li key={note.id}>{note.text}</li>)}</ul>
          <form id="note-form" onSubmit={add}>
            <input name="text" id="note-text" required />
            <button type="submit" id="add-note">Add</button>
          </form>
          <button id="sign-out" onClick={() => void signOut()}>Sign out</button>
        </>
      )}
    </>
  );
}
