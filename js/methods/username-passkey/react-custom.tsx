"use client";
// convex-auth-wasm/methods/username-passkey/react-custom: Convex Auth 2's username + passkey hooks
// over ceremonies the app supplies (a native bridge, a test authenticator); `react` binds them to
// the browser's. Identifier-first: a free username registers a passkey and signs up, a taken one
// authenticates. No hook rejects: a throw is `OTHER_ERROR` with its `cause`, a second call while
// one runs is `ALREADY_PENDING`.
import { useConvex, useConvexAuth } from "convex/react";
import { useCallback, useMemo, useRef, useState } from "react";
import type { FunctionRef } from "convex-auth-wasm/client";
import { useAuthActions, useAuthSignInApi } from "convex-auth-wasm/react";
import { useStableReference } from "../flow.js";
import { usePasskeyAutofill, type AutofillControl, type AutofillState } from "./autofill.js";
import {
  foldClientError,
  resolveCeremonies,
  type PasskeyCeremonies,
  type PasskeyClientError,
  type PasskeyClientFailure,
  type WireCreationOptions,
  type WireRequestOptions,
} from "./ceremonies.js";

export type {
  AuthenticationResponseJSON,
  PasskeyAuthenticationResponse,
  PasskeyCeremonies,
  PasskeyClientError,
  PasskeyClientFailure,
  PasskeyRegistrationResponse,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  WireAuthenticationResponse,
  WireCreationOptions,
  WireRegistrationResponse,
  WireRequestOptions,
} from "./ceremonies.js";
export type { PasskeyAutofillStatus, UsernamePasskeyAutofillError } from "./autofill.js";

type Mutation = FunctionRef<"mutation">;
type UserError = { error: string; [detail: string]: unknown };
export type AlreadyPendingFailure = { success: false; userError: { error: "ALREADY_PENDING" } };

export type UsernamePasskeyApi = {
  startSignInWithUsernamePasskey: Mutation;
  startAutofillSignInWithUsernamePasskey: Mutation;
  finishSignInWithUsernamePasskey: Mutation;
  finishSignUpWithUsernamePasskey: Mutation;
};
export type AddPasskeyApi = { startAddPasskey: Mutation; verifyAddPasskey: Mutation; finishAddPasskey: Mutation };
export type RemovePasskeyApi = { startRemovePasskey: Mutation; finishRemovePasskey: Mutation };

export type SignInWithUsernamePasskeyResult =
  | { status: "complete"; tokens: { accessToken: string }; flow: "signUp" }
  | { status: "complete"; tokens: { accessToken: string }; username: string | null; flow: "signIn" }
  | { status: "error"; userError: UserError | PasskeyClientError };
export type AddPasskeyResult = { success: true; passkeyId: string } | { success: false; userError: UserError | PasskeyClientError };
export type RemovePasskeyResult = { success: true } | { success: false; userError: UserError | PasskeyClientError };
export type RenamePasskeyResult = { success: true } | { success: false; userError: UserError };

const ALREADY_PENDING: AlreadyPendingFailure = { success: false, userError: { error: "ALREADY_PENDING" } };
const UNSUPPORTED: PasskeyClientFailure = { success: false, userError: { error: "WEBAUTHN_UNSUPPORTED" } };
type Failure = { success: false; userError: UserError | PasskeyClientError };

/** One ceremony at a time per hook, holding the autofill back while it runs. */
function useCeremonySlot(autofill: AutofillControl | null) {
  const [pending, setPending] = useState(false);
  const busy = useRef(false);
  const run = useCallback(
    async <R,>(work: () => Promise<R>): Promise<R | Failure> => {
      if (busy.current || autofill?.signingIn()) return ALREADY_PENDING;
      busy.current = true;
      setPending(true);
      autofill?.pause();
      try {
        return await work();
      } catch (e) {
        return { success: false, userError: foldClientError(e) };
      } finally {
        autofill?.resume();
        busy.current = false;
        setPending(false);
      }
    },
    [autofill],
  );
  return { run, pending };
}

/** The method's hooks over `ceremonies` (call once, at module level). */
export function createUsernamePasskeyHooks(ceremonies: PasskeyCeremonies) {
  const browser = resolveCeremonies(ceremonies);

  /** `{ signIn({ username }), pending, autofill }`: signs up with a new passkey when the username
   *  is free, else signs in with one of its passkeys; the autofill runs while mounted and signed
   *  out (ours: `{ autofill: false }` turns it off, for a page without a username field). */
  function useSignInWithUsernamePasskey(api: UsernamePasskeyApi, options: { autofill?: boolean } = {}) {
    const convex = useConvex();
    const signInApi = useAuthSignInApi();
    const { setSession } = useAuthActions();
    const start = useStableReference(api.startSignInWithUsernamePasskey);
    const startAutofill = useStableReference(api.startAutofillSignInWithUsernamePasskey);
    const finishSignIn = useStableReference(api.finishSignInWithUsernamePasskey);
    const finishSignUp = useStableReference(api.finishSignUpWithUsernamePasskey);
    const { isLoading, isAuthenticated } = useConvexAuth();
    const autofill = usePasskeyAutofill(
      browser,
      () => convex.mutation(startAutofill as never, {} as never),
      (response) => signInApi.mutation(finishSignIn, { response }),
      setSession as never,
      options.autofill !== false && !isLoading && !isAuthenticated,
    );
    const { run, pending: running } = useCeremonySlot(autofill.control);
    const signIn = useCallback(
      async ({ username }: { username: string }): Promise<SignInWithUsernamePasskeyResult> => {
        const outcome = await run(async (): Promise<SignInWithUsernamePasskeyResult | Failure> => {
          if (!browser.isSupported()) return UNSUPPORTED;
          const started = (await convex.mutation(start as never, { username } as never)) as
            | { success: true; step: "register"; options: WireCreationOptions }
            | { success: true; step: "authenticate"; options: WireRequestOptions }
            | Failure;
          if (!started.success) return started;
          if (started.step === "register") {
            const created = await browser.register(started.options);
            if (!created.success) return created;
            const result = await signInApi.mutation(finishSignUp, { username, response: created.response });
            if (result.status !== "complete") return result;
            await setSession(result.tokens);
            autofill.control.signedIn(); // (still paused: the slot resumes it after)
            return { ...result, flow: "signUp" };
          }
          const asserted = await browser.authenticate(started.options);
          if (!asserted.success) return asserted;
          const result = await signInApi.mutation(finishSignIn, { response: asserted.response });
          if (result.status !== "complete") return result;
          await setSession(result.tokens);
          autofill.control.signedIn();
          return { ...result, flow: "signIn" };
        });
        return "success" in outcome ? { status: "error", userError: outcome.userError } : outcome;
      },
      [run, convex, signInApi, setSession, start, finishSignIn, finishSignUp, autofill.control],
    );
    const pending = running || autofill.state.status === "signingIn";
    return useMemo(() => ({ signIn, pending, autofill: autofill.state as AutofillState }), [signIn, pending, autofill.state]);
  }

  /** `{ addPasskey(), pending }`: the signed-in user proves one of their passkeys, then registers
   *  another. */
  function useAddPasskey(api: AddPasskeyApi) {
    const convex = useConvex();
    const start = useStableReference(api.startAddPasskey);
    const verify = useStableReference(api.verifyAddPasskey);
    const finish = useStableReference(api.finishAddPasskey);
    const { run, pending } = useCeremonySlot(null);
    const addPasskey = useCallback(
      () =>
        run(async (): Promise<AddPasskeyResult> => {
          if (!browser.isSupported()) return UNSUPPORTED;
          const started = (await convex.mutation(start as never, {} as never)) as { success: true; options: WireRequestOptions } | Failure;
          if (!started.success) return started;
          const asserted = await browser.authenticate(started.options);
          if (!asserted.success) return asserted;
          const verified = (await convex.mutation(verify as never, { response: asserted.response } as never)) as { success: true; options: WireCreationOptions } | Failure;
          if (!verified.success) return verified;
          const created = await browser.register(verified.options);
          if (!created.success) return created;
          return (await convex.mutation(finish as never, { response: created.response } as never)) as AddPasskeyResult;
        }),
      [run, convex, start, verify, finish],
    );
    return { addPasskey, pending };
  }

  /** `{ removePasskey(passkeyId), pending }`: removes a passkey after the user proves another. */
  function useRemovePasskey(api: RemovePasskeyApi) {
    const convex = useConvex();
    const start = useStableReference(api.startRemovePasskey);
    const finish = useStableReference(api.finishRemovePasskey);
    const { run, pending } = useCeremonySlot(null);
    const removePasskey = useCallback(
      (passkeyId: string) =>
        run(async (): Promise<RemovePasskeyResult> => {
          if (!browser.isSupported()) return UNSUPPORTED;
          const started = (await convex.mutation(start as never, { passkeyId } as never)) as { success: true; options: WireRequestOptions } | Failure;
          if (!started.success) return started;
          const asserted = await browser.authenticate(started.options);
          if (!asserted.success) return asserted;
          return (await convex.mutation(finish as never, { passkeyId, response: asserted.response } as never)) as RemovePasskeyResult;
        }),
      [run, convex, start, finish],
    );
    return { removePasskey, pending };
  }

  return { useSignInWithUsernamePasskey, useAddPasskey, useRemovePasskey };
}
