"use client";
// convex-auth-wasm/methods/oauth/react: Convex Auth 2's OAuth hooks with the official names —
// `oauth()` (registered by the providers by default), `useOauth()` → `{ flowError }` (how the last
// return from a provider ended), and `useOauthSignIn(refs)` under the GitHub, Google and Apple hooks.
import { useMemo } from "react";
import { functionPath } from "convex-auth-wasm/client";
import { useAmbientSignInValue } from "convex-auth-wasm/react";
import { OAUTH_SETUP_ID, type OauthActions, type OauthCompleteResult, type OauthFlowError, type OauthProviderRefs, type OauthStartResult, type SignInOptions } from "./client.js";

export { oauth } from "./client.js";
export type { OauthActions, OauthCompleteResult, OauthFlowError, OauthProviderApi, OauthProviderRefs, OauthStartResult, SignInOptions } from "./client.js";

const NOT_REGISTERED =
  "convex-auth-wasm: no OAuth is registered. The providers register oauth() from convex-auth-wasm/methods/oauth/react by default; include it yourself when you set `ambientSignIns`";

export type UseOauthReturn = { flowError: OauthFlowError | null };
export type UseOauthSignInReturn = {
  signIn: {
    (options: SignInOptions & { code: string }): Promise<OauthCompleteResult>;
    (options?: Omit<SignInOptions, "code"> & { code?: undefined }): Promise<OauthStartResult>;
  };
};

/** `{ flowError }`: `ACCESS_DENIED`, `EXPIRED`, `INVALID_FLOW` or `OTHER_ERROR` when the last return
 *  from a provider did not sign in; `null` otherwise. */
export function useOauth(): UseOauthReturn {
  const flowError = useAmbientSignInValue(OAUTH_SETUP_ID, "flowError") as OauthFlowError | null | undefined;
  if (flowError === undefined) throw new Error(NOT_REGISTERED);
  return { flowError };
}

/** `{ signIn(options?) }` for one provider: without `code`, leaves for the provider (resolves
 *  `{status:"redirect"}`); with `code` (React Native), redeems it. */
export function useOauthSignIn(refs: OauthProviderRefs): UseOauthSignInReturn {
  const actions = useAmbientSignInValue(OAUTH_SETUP_ID, "actions") as OauthActions | undefined;
  const { providerName, startSignIn, completeSignIn } = refs;
  const start = functionPath(startSignIn);
  const complete = functionPath(completeSignIn);
  return useMemo(() => {
    if (!actions) throw new Error(NOT_REGISTERED);
    const signIn = (options?: SignInOptions) => actions.signIn({ providerName, startSignIn, completeSignIn }, options);
    return { signIn: signIn as UseOauthSignInReturn["signIn"] };
    // The references are new objects on every `api` access: their paths stand for them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actions, providerName, start, complete]);
}
