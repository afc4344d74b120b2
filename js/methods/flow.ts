"use client";
// The one shape every Convex Auth 2 sign-in method's hook shares: run the method's function
// through the provider's sign-in API, adopt the session it completes, report the rest.
import { useCallback, useMemo, useRef, useState } from "react";
import { functionPath, type FunctionRef } from "convex-auth-wasm/client";
import { useAuthActions, useAuthSignInApi } from "convex-auth-wasm/react";

/** A sign-in function's result: `complete` carries the session; an error names what the user
 *  can fix (`userError.error`, e.g. "INVALID_CREDENTIALS"). */
export type SignInFlowResult =
  | { status: "complete"; tokens: { accessToken: string; refreshToken?: string; userId?: string } }
  | { status: "error"; userError: { error: string; cause?: unknown } }
  | { status: string; [key: string]: unknown };

/** A reference stable while it names the same function (apps pass `api.auth.x` inline). */
export function useStableReference<R extends FunctionRef>(reference: R): R {
  const name = functionPath(reference);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => reference, [name]);
}

/** `pending` while any call of `track` runs (concurrent calls counted). */
export function usePending() {
  const [pending, setPending] = useState(false);
  const inFlight = useRef(0);
  const track = useCallback(async <T,>(work: () => Promise<T>): Promise<T> => {
    inFlight.current++;
    setPending(true);
    try {
      return await work();
    } finally {
      if (--inFlight.current === 0) setPending(false);
    }
  }, []);
  return { pending, track };
}

/** `run(args)` calls `mutation` and, when it completes, `setSession`; a throw (the network, the
 *  deployment) is `{status:"error", userError:{error:"OTHER_ERROR", cause}}`, never a rejection. */
export function useSignInFlow<Args extends Record<string, unknown>>(mutation: FunctionRef<"mutation">) {
  const reference = useStableReference(mutation);
  const { setSession } = useAuthActions();
  const signInApi = useAuthSignInApi();
  const { pending, track } = usePending();
  const run = useCallback(
    (args: Args): Promise<SignInFlowResult> =>
      track(async () => {
        try {
          const result = (await signInApi.mutation(reference, args)) as SignInFlowResult;
          if (result.status === "complete") await setSession((result as { tokens: { accessToken: string } }).tokens);
          return result;
        } catch (cause) {
          return { status: "error", userError: { error: "OTHER_ERROR", cause } };
        }
      }),
    [signInApi, reference, setSession, track],
  );
  return { run, pending };
}
