"use client";
// convex-auth-wasm/methods/email-password/react: Convex Auth 2's email + password hooks, with the
// official names, over this package's session. Sign-up, a change of email and a password recovery
// each start in one page and end in the emailed link's page: the secret the start returns waits
// in the provider's storage under the official key (a flow started under the official provider
// ends under this one, and back). No hook rejects: a throw is `OTHER_ERROR` with its `cause`.
import { useConvexAuth, useMutation, useQuery } from "convex/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FunctionRef } from "convex-auth-wasm/client";
import { useAuthActions, useAuthMethods, useAuthSignInApi, type MethodStoreKey } from "convex-auth-wasm/react";
import { usePending, useSignInFlow, useStableReference, type SignInFlowResult } from "../flow.js";

export type { SignInFlowResult } from "../flow.js";

type Mutation = FunctionRef<"mutation">;
type OtherError = { error: "OTHER_ERROR"; cause: unknown };
type UserError = { error: string; [detail: string]: unknown };

/** A start's result: `success` (the secret is kept, not returned) or what the user can fix. */
export type StartResult = { success: true; sentTo?: string } | { success: false; userError: UserError | OtherError };

/** The state of a link's page: loading, then complete or an error (`MISSING_SECRET`: the link
 *  was opened in another browser than the one that started the flow). */
export type LinkFlowState<E = UserError | OtherError> = { status: "loading" } | { status: "complete" } | { status: "error"; userError: E };

export type CompletePasswordRecoveryState =
  | { status: "loading" }
  | { status: "ready"; completePasswordRecovery(args: { newPassword: string }): Promise<CompletePasswordRecoveryResult>; pending: boolean }
  | { status: "complete" }
  | { status: "error"; userError: UserError };

// 2.0.0's type names.
export type SignInResult = SignInFlowResult;
export type SignUpResult = StartResult;
export type StartChangeEmailResult = StartResult;
export type StartPasswordRecoveryResult = StartResult;
export type CompletePasswordRecoveryResult = SignInFlowResult;
export type CompleteSignUpState = LinkFlowState;
export type CompleteChangeEmailState = LinkFlowState;
export type PasswordRecoveryApi = { checkPasswordRecovery: FunctionRef<"query">; completePasswordRecovery: Mutation };

const otherError = (cause: unknown) => ({ error: "OTHER_ERROR" as const, cause });

/** A flow's start: runs `mutation`, keeps the secret it returns under `key`. */
function useStart<Args extends Record<string, unknown>>(mutation: Mutation, key: MethodStoreKey) {
  const run = useMutation(useStableReference(mutation) as never) as unknown as (args: Args) => Promise<{ success: boolean; browserSecret?: string; sentTo?: string; userError?: UserError }>;
  const { store } = useAuthMethods();
  const { pending, track } = usePending();
  const start = useCallback(
    (args: Args): Promise<StartResult> =>
      track(async () => {
        try {
          const result = await run(args);
          if (!result.success) return result as StartResult;
          await store.set(key, result.browserSecret!);
          return result.sentTo === undefined ? { success: true } : { success: true, sentTo: result.sentTo };
        } catch (cause) {
          return { success: false, userError: otherError(cause) };
        }
      }),
    [run, store, key, track],
  );
  return { start, pending };
}

/** A link's page: once the Convex client knows whether it is signed in (its calls then carry
 *  the session), completes the flow with the kept secret (once), and forgets the secret when it
 *  is spent. */
function useLinkFlow(key: MethodStoreKey, complete: (browserSecret: string) => Promise<{ done: true } | { done: false; userError: UserError }>): LinkFlowState {
  const { isLoading } = useConvexAuth();
  const { store } = useAuthMethods();
  const [state, setState] = useState<LinkFlowState>({ status: "loading" });
  const started = useRef(false);
  useEffect(() => {
    if (isLoading || started.current) return;
    started.current = true;
    void (async () => {
      try {
        const browserSecret = await store.get(key);
        if (browserSecret === null) return setState({ status: "error", userError: { error: "MISSING_SECRET" } });
        const result = await complete(browserSecret);
        if (!result.done) return setState({ status: "error", userError: result.userError });
        await store.remove(key);
        setState({ status: "complete" });
      } catch (cause) {
        setState({ status: "error", userError: otherError(cause) });
      }
    })();
  }, [isLoading, store, key, complete]);
  return state;
}

/** `{ signIn({ email, password }), pending }`: signs in with `api.signInWithEmailPassword`. */
export function useSignInWithEmailPassword(api: { signInWithEmailPassword: Mutation }) {
  const { run, pending } = useSignInFlow<{ email: string; password: string }>(api.signInWithEmailPassword);
  return { signIn: run as (credentials: { email: string; password: string }) => Promise<SignInFlowResult>, pending };
}

/** `{ signUp({ email, password }), pending }`: creates the account and emails the validation
 *  link; the session starts on the link's page ({@link useCompleteSignUpWithEmailPassword}). */
export function useSignUpWithEmailPassword(api: { signUpWithEmailPassword: Mutation }) {
  const { start, pending } = useStart<{ email: string; password: string }>(api.signUpWithEmailPassword, "emailSignUpSecret");
  return { signUp: start, pending };
}

/** The validation link's page: completes the sign-up and starts the session (reported as
 *  loading meanwhile). */
export function useCompleteSignUpWithEmailPassword(api: { completeSignUpWithEmailPassword: Mutation }, { emailCode }: { emailCode: string }): LinkFlowState {
  const mutation = useStableReference(api.completeSignUpWithEmailPassword);
  const { setSession } = useAuthActions();
  const signInApi = useAuthSignInApi();
  const { withSignInPending } = useAuthMethods();
  const complete = useCallback(
    (browserSecret: string) =>
      withSignInPending(async () => {
        const result = (await signInApi.mutation(mutation, { emailCode, browserSecret })) as SignInFlowResult;
        if (result.status !== "complete") return { done: false as const, userError: (result as { userError: UserError }).userError };
        await setSession((result as { tokens: { accessToken: string } }).tokens);
        return { done: true as const };
      }),
    [signInApi, mutation, emailCode, setSession, withSignInPending],
  );
  return useLinkFlow("emailSignUpSecret", complete);
}

/** `{ startPasswordRecovery({ email }), pending }`: emails the recovery link. */
export function useStartPasswordRecovery(api: { startPasswordRecovery: Mutation }) {
  const { start, pending } = useStart<{ email: string }>(api.startPasswordRecovery, "emailRecoverySecret");
  return { startPasswordRecovery: start, pending };
}

/** The recovery link's page: checks the link, then `ready` with `completePasswordRecovery({
 *  newPassword })`, which sets the password and starts the session. */
export function useCompletePasswordRecovery(
  api: PasswordRecoveryApi,
  { emailCode }: { emailCode: string },
): CompletePasswordRecoveryState {
  const mutation = useStableReference(api.completePasswordRecovery);
  const { isLoading } = useConvexAuth();
  const { setSession } = useAuthActions();
  const signInApi = useAuthSignInApi();
  const { store } = useAuthMethods();
  const { pending, track } = usePending();
  const [browserSecret, setBrowserSecret] = useState<string | null | undefined>(undefined);
  const [outcome, setOutcome] = useState<{ status: "complete" } | { status: "error"; userError: UserError }>();
  useEffect(() => {
    if (isLoading) return;
    let live = true;
    store.get("emailRecoverySecret").then(
      (secret) => live && setBrowserSecret(secret),
      () => live && setBrowserSecret(null),
    );
    return () => void (live = false);
  }, [isLoading, store]);
  const check = useQuery(api.checkPasswordRecovery as never, (typeof browserSecret === "string" ? { emailCode, browserSecret } : "skip") as never) as
    | { success: true }
    | { success: false; userError: UserError }
    | undefined;
  const completePasswordRecovery = useCallback(
    ({ newPassword }: { newPassword: string }): Promise<SignInFlowResult> =>
      track(async () => {
        if (typeof browserSecret !== "string") return { status: "error", userError: otherError(new Error("the recovery link is not checked yet")) };
        try {
          const result = (await signInApi.mutation(mutation, { emailCode, browserSecret, newPassword })) as SignInFlowResult;
          if (result.status === "complete") {
            await setSession((result as { tokens: { accessToken: string } }).tokens);
            await store.remove("emailRecoverySecret");
            setOutcome({ status: "complete" });
          } else {
            const userError = (result as { userError: UserError }).userError;
            // A spent or wrong link ends the page; a weak password lets the user try another.
            if (userError.error === "INVALID_CHALLENGE" || userError.error === "INCORRECT_CODE") setOutcome({ status: "error", userError });
          }
          return result;
        } catch (cause) {
          return { status: "error", userError: otherError(cause) };
        }
      }),
    [signInApi, mutation, emailCode, browserSecret, store, setSession, track],
  );
  if (outcome) return outcome;
  if (browserSecret === null) return { status: "error", userError: { error: "MISSING_SECRET" } };
  if (browserSecret === undefined || check === undefined) return { status: "loading" };
  if (!check.success && !pending) return { status: "error", userError: check.userError };
  return { status: "ready", completePasswordRecovery, pending };
}

/** `{ startChangeEmail({ newEmail, currentPassword }), pending }`: emails the confirmation link
 *  to the new address (signed in). */
export function useStartChangeEmail(api: { startChangeEmail: Mutation }) {
  const { start, pending } = useStart<{ newEmail: string; currentPassword: string }>(api.startChangeEmail, "emailChangeSecret");
  return { startChangeEmail: start, pending };
}

/** The confirmation link's page: completes the change of email. */
export function useCompleteChangeEmail(api: { completeChangeEmail: Mutation }, { emailCode }: { emailCode: string }): LinkFlowState {
  const run = useMutation(useStableReference(api.completeChangeEmail) as never) as unknown as (args: {
    emailCode: string;
    browserSecret: string;
  }) => Promise<{ success: true } | { success: false; userError: UserError }>;
  const complete = useCallback(
    async (browserSecret: string) => {
      const result = await run({ emailCode, browserSecret });
      return result.success ? { done: true as const } : { done: false as const, userError: result.userError };
    },
    [run, emailCode],
  );
  return useLinkFlow("emailChangeSecret", complete);
}
