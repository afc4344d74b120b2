"use client";
// The username + passkey method of Convex Auth 2 (spa mode): a free username signs up with a new
// passkey, a taken one signs in with one of its passkeys; the username field offers the saved
// passkeys (autofill) while signed out. Signed in: the account's passkeys, add one, remove one.
// WebAuthn needs the relying party `localhost`: open the demo on http://localhost:3000.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "convex/react";
import { useAddPasskey, useRemovePasskey, useSignInWithUsernamePasskey } from "convex-auth-wasm/methods/username-passkey/react";
import { apiV2 as api } from "../../lib/api-v2";

const failure = (result: { userError?: { error: string } }) => result.userError?.error ?? "failed";

export function PasskeyCredentials({ onSignedIn }: { onSignedIn(): void }) {
  const { signIn, pending, autofill } = useSignInWithUsernamePasskey(api.auth);
  const [message, setMessage] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    const result = await signIn({ username: String(new FormData(event.currentTarget).get("username")) });
    if (result.status === "complete") onSignedIn();
    else setMessage(failure(result));
  }
  return (
    <section>
      <h2>Username + passkey</h2>
      <form id="v2-passkey-form" onSubmit={submit}>
        <label>Username <input name="username" autoComplete="username webauthn" required /></label>
        <button type="submit" id="v2-passkey-sign-in" disabled={pending}>Continue with a passkey</button>
      </form>
      <p className="muted">autofill: <span id="v2-passkey-autofill">{autofill.status}</span></p>
      {message && <p className="error" id="v2-passkey-error">{message}</p>}
    </section>
  );
}

type Listed = { success: true; passkeys: { passkeyId: string; name?: string; createdAt: number }[] } | { success: false };

/** The signed-in user's passkeys (none for the other methods' users). */
export function Passkeys() {
  const listed = useQuery(api.auth.listPasskeys, {}) as Listed | undefined;
  const { addPasskey, pending: adding } = useAddPasskey(api.auth);
  const { removePasskey, pending: removing } = useRemovePasskey(api.auth);
  const rename = useMutation(api.auth.renamePasskey);
  const [message, setMessage] = useState<string | null>(null);
  if (!listed?.success || listed.passkeys.length === 0) return null;
  const report = (result: { success: boolean; userError?: { error: string } }) => setMessage(result.success ? null : failure(result));
  return (
    <section>
      <h2>Passkeys</h2>
      <ul id="v2-passkeys">
        {listed.passkeys.map((p) => (
          <li key={p.passkeyId}>
            {p.name ?? "passkey"} (added {new Date(p.createdAt).toLocaleString()}){" "}
            <button onClick={() => void rename({ passkeyId: p.passkeyId, name: `renamed ${new Date().toLocaleTimeString()}` })}>Rename</button>{" "}
            <button disabled={removing} onClick={async () => report(await removePasskey(p.passkeyId))}>Remove</button>
          </li>
        ))}
      </ul>
      <button id="v2-passkey-add" disabled={adding} onClick={async () => report(await addPasskey())}>Add a passkey (another device)</button>
      {message && <p className="error" id="v2-passkey-message">{message}</p>}
    </section>
  );
}
