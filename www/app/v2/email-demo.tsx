"use client";
// The email + password method of Convex Auth 2 (spa mode): sign-up sends a validation link, the
// session starts on the link's page (/v2/email/validate); sign-in; a password recovery by link.
// The local deployment sends nothing: the mailbox below shows what it would have emailed.
import { useEffect, useState, type FormEvent } from "react";
import { useConvex } from "convex/react";
import { useSignInWithEmailPassword, useSignUpWithEmailPassword, useStartPasswordRecovery } from "convex-auth-wasm/methods/email-password/react";
import { apiV2 as api } from "../../lib/api-v2";

const failure = (result: { userError?: unknown; status?: string }) => String((result.userError as { error?: string } | undefined)?.error ?? result.status ?? "failed");

export function EmailCredentials({ onSignedIn }: { onSignedIn(): void }) {
  const { signIn, pending } = useSignInWithEmailPassword(api.auth);
  const { signUp } = useSignUpWithEmailPassword(api.auth);
  const { startPasswordRecovery } = useStartPasswordRecovery(api.auth);
  const [message, setMessage] = useState<string | null>(null);
  async function submit(form: HTMLFormElement, flow: "signIn" | "signUp" | "recover") {
    const data = new FormData(form);
    const email = String(data.get("email"));
    const password = String(data.get("password"));
    setMessage(null);
    if (flow === "signIn") {
      const result = await signIn({ email, password });
      return result.status === "complete" ? onSignedIn() : setMessage(failure(result));
    }
    const result = flow === "signUp" ? await signUp({ email, password }) : await startPasswordRecovery({ email });
    setMessage(result.success ? "Sent: open the link in the mailbox below, in this browser." : failure(result));
  }
  return (
    <section>
      <h2>Email + password</h2>
      <form id="v2-email-form" onSubmit={(e: FormEvent<HTMLFormElement>) => (e.preventDefault(), void submit(e.currentTarget, "signIn"))}>
        <label>Email <input name="email" type="email" autoComplete="email" required /></label>
        <label>Password <input name="password" type="password" autoComplete="current-password" /></label>
        <button type="submit" id="v2-email-sign-in" disabled={pending}>Sign in</button>
        <button type="button" id="v2-email-sign-up" onClick={(e) => void submit(e.currentTarget.form!, "signUp")}>Sign up</button>
        <button type="button" id="v2-email-recover" onClick={(e) => void submit(e.currentTarget.form!, "recover")}>Forgot password</button>
      </form>
      {message && <p id="v2-email-message">{message}</p>}
      <Mailbox />
    </section>
  );
}

type Sent = { to: string[]; subject: string; text: string };

/** The emails the local deployment recorded (its Resend stub), newest first, links clickable. */
export function Mailbox() {
  const convex = useConvex();
  const [mail, setMail] = useState<Sent[]>([]);
  // Only the local deployment has one (a real deployment sends through Resend).
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(convex.url);
  useEffect(() => {
    if (!local) return;
    const read = () =>
      fetch(`${convex.url}/__dev/mailbox`)
        .then((r) => r.json())
        .then((all: Sent[]) => setMail(all.slice(-5).reverse()))
        .catch(() => {});
    read();
    const timer = setInterval(read, 2000);
    return () => clearInterval(timer);
  }, [convex, local]);
  if (!local) return null;
  return (
    <details open={mail.length > 0}>
      <summary>Local mailbox ({mail.length})</summary>
      <ul id="v2-mailbox">
        {mail.map((m, i) => {
          const link = m.text.match(/https?:\/\/\S+/)?.[0];
          return (
            <li key={i}>
              to {m.to.join(", ")}: {m.subject} {link && <a href={link}>open the link</a>}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
