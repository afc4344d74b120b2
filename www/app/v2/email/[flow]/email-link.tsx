"use client";
// An emailed link's page: the sign-up's validation (the session starts here), a change of email,
// or a password recovery (asks for the new password, then signs in).
import { useState, type FormEvent } from "react";
import {
  useCompleteChangeEmail,
  useCompletePasswordRecovery,
  useCompleteSignUpWithEmailPassword,
  type LinkFlowState,
} from "convex-auth-wasm/methods/email-password/react";
import { apiV2 as api } from "../../../../lib/api-v2";

export type LinkFlow = "validate" | "recover" | "change";

const MESSAGES: Record<string, string> = {
  MISSING_SECRET: "This link works only in the browser where you started (the secret it needs is not here).",
};

function Outcome({ state, done }: { state: LinkFlowState; done: string }) {
  if (state.status === "loading") return <p id="v2-link">Checking the link…</p>;
  if (state.status === "complete") return <p id="v2-link">{done} <a href="/v2">Continue</a></p>;
  const { error } = state.userError;
  return <p id="v2-link" className="error">{error}: {MESSAGES[error] ?? "the link cannot be used."}</p>;
}

function Validate({ emailCode }: { emailCode: string }) {
  return <Outcome state={useCompleteSignUpWithEmailPassword(api.auth, { emailCode })} done="Your email is validated and you are signed in." />;
}

function Change({ emailCode }: { emailCode: string }) {
  return <Outcome state={useCompleteChangeEmail(api.auth, { emailCode })} done="Your email address is changed." />;
}

function Recover({ emailCode }: { emailCode: string }) {
  const state = useCompletePasswordRecovery(api.auth, { emailCode });
  const [error, setError] = useState<string | null>(null);
  if (state.status !== "ready") return <Outcome state={state} done="Your password is changed and you are signed in." />;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.status !== "ready") return;
    const result = await state.completePasswordRecovery({ newPassword: String(new FormData(event.currentTarget).get("password")) });
    if (result.status !== "complete") setError(String((result as { userError?: { error: string } }).userError?.error ?? result.status));
  }
  return (
    <form id="v2-recover" onSubmit={submit}>
      <label>New password <input name="password" type="password" autoComplete="new-password" required /></label>
      <button type="submit" disabled={state.pending}>Set the password and sign in</button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

export function EmailLink({ flow, emailCode }: { flow: LinkFlow; emailCode: string }) {
  if (flow === "validate") return <Validate emailCode={emailCode} />;
  if (flow === "change") return <Change emailCode={emailCode} />;
  return <Recover emailCode={emailCode} />;
}
