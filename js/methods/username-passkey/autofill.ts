// Passkey autofill (WebAuthn conditional mediation) for Convex Auth 2's username + passkey method:
// while the sign-in hook is mounted and the page is signed out, a request waits for the user to
// pick a passkey from the username field's autofill. Its challenge is renewed before the
// deployment forgets it; a modal ceremony pauses it (the browser runs one at a time) and, once it
// signs in, ends it; three failed sign-ins in a row, or another ceremony taking the browser's
// slot, stop it. (The official hook keeps it running while signed in, where a pick signs in again.)
import { useEffect, useMemo, useRef, useState } from "react";
import { foldClientError, type PasskeyAuthenticationResponse, type PasskeyClientError, type WireRequestOptions } from "./ceremonies.js";
import type { resolveCeremonies } from "./ceremonies.js";

export type PasskeyAutofillStatus = "idle" | "waiting" | "signingIn" | "signedIn" | "stopped";
export type UsernamePasskeyAutofillError = { error: "UNKNOWN_CREDENTIAL" | "CHALLENGE_EXPIRED" | "PROTOCOL_ERROR" } | PasskeyClientError;
export type AutofillState = { available: boolean | null; status: PasskeyAutofillStatus; lastError: UsernamePasskeyAutofillError | null };

/** The deployment keeps a challenge 10 minutes: a fresh one is asked for at 8. */
const REFRESH_AFTER_MS = 8 * 60_000;
const CHECK_EVERY_MS = 10_000;
const MAX_FAILURES = 3;

/** How the modal ceremonies of the same hook hold the autofill back. */
export interface AutofillControl {
  pause(): void;
  resume(): void;
  /** True while a picked passkey is being verified (a modal call then is `ALREADY_PENDING`). */
  signingIn(): boolean;
  /** A modal ceremony signed in: no new request until the page is signed out again. */
  signedIn(): void;
}

type Finish = (response: PasskeyAuthenticationResponse) => Promise<{ status: string; tokens?: unknown; userError?: UsernamePasskeyAutofillError }>;

export function usePasskeyAutofill(
  ceremonies: ReturnType<typeof resolveCeremonies>,
  start: () => Promise<{ options: WireRequestOptions }>,
  finish: Finish,
  setSession: (tokens: never) => Promise<void>,
  /** False while signed in (or still loading), or when the app turned autofill off. */
  enabled: boolean,
): { state: AutofillState; control: AutofillControl } {
  const [state, setState] = useState<AutofillState>({ available: null, status: "idle", lastError: null });
  // The latest calls, so a new render does not restart the loop.
  const calls = useRef({ start, finish, setSession });
  calls.current = { start, finish, setSession };
  const pauses = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const wake = useRef<(() => void) | null>(null);
  const verifying = useRef(false);
  const ended = useRef(false);

  const control = useMemo<AutofillControl>(
    () => ({
      pause() {
        pauses.current++;
        controller.current?.abort();
      },
      resume() {
        if (--pauses.current === 0) wake.current?.();
      },
      signingIn: () => verifying.current,
      signedIn() {
        ended.current = true;
        controller.current?.abort();
      },
    }),
    [],
  );

  useEffect(() => {
    let alive = true;
    ended.current = false;
    const update = (change: Partial<AutofillState>) => alive && setState((s) => ({ ...s, ...change }));
    const stop = (lastError: UsernamePasskeyAutofillError) => update({ status: "stopped", lastError });
    const run = async () => {
      const available = await ceremonies.autofill.isAvailable();
      update({ available, status: available ? "idle" : "stopped" });
      let failures = 0;
      while (alive && available) {
        while (alive && pauses.current > 0) await new Promise<void>((r) => (wake.current = r));
        if (!alive || ended.current) return update({ status: "idle" });
        update({ status: "waiting" });
        const requestedAt = Date.now();
        let options: WireRequestOptions;
        try {
          ({ options } = await calls.current.start());
        } catch (e) {
          return stop(foldClientError(e));
        }
        if (!alive || ended.current) return update({ status: "idle" });
        if (pauses.current > 0) continue;
        const request = (controller.current = new AbortController());
        const renewIfStale = () => Date.now() - requestedAt >= REFRESH_AFTER_MS && request.abort();
        const timer = setInterval(renewIfStale, CHECK_EVERY_MS);
        const unlisten = ceremonies.autofill.onResume(renewIfStale);
        const picked = await ceremonies.autofill.authenticate(options, request.signal).finally(() => (clearInterval(timer), unlisten()));
        if (!alive || ended.current) return update({ status: "idle" });
        // Renewed or paused by us (a modal ceremony took over): a fresh challenge, and a pick that
        // raced the pause is dropped rather than signing in beside the modal one.
        if (request.signal.aborted || pauses.current > 0) continue;
        if (!picked.success) {
          if (picked.userError.error === "CEREMONY_ABORTED") console.warn("[convex-auth-wasm] passkey autofill stopped: another WebAuthn call took the browser's slot");
          return stop(picked.userError);
        }
        verifying.current = true;
        update({ status: "signingIn" });
        try {
          const result = await calls.current.finish(picked.response);
          if (result.status === "complete") {
            await calls.current.setSession(result.tokens as never);
            return update({ status: "signedIn", lastError: null });
          }
          if (++failures >= MAX_FAILURES) return stop(result.userError!);
          update({ lastError: result.userError! });
        } catch (e) {
          return stop(foldClientError(e));
        } finally {
          verifying.current = false;
        }
      }
    };
    if (enabled) run().catch((e) => stop(foldClientError(e)));
    // Off (signed in): a request still open ends; how the last one ended stays readable.
    else setState((s) => (s.status === "waiting" || s.status === "signingIn" ? { ...s, status: "idle" } : s));
    return () => {
      alive = false;
      controller.current?.abort();
      wake.current?.();
    };
  }, [ceremonies, enabled]);

  return { state, control };
}
