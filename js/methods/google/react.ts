"use client";
// convex-auth-wasm/methods/google/react: Convex Auth 2's Google sign-in hook (the official names).
import type { FunctionRef } from "convex-auth-wasm/client";
import { useOauthSignIn, type UseOauthSignInReturn } from "../oauth/react.js";

export { useOauth, type UseOauthReturn } from "../oauth/react.js";
export type { OauthCompleteResult, OauthFlowError, OauthStartResult, SignInOptions } from "../oauth/client.js";
export type UseSignInWithGoogleReturn = { signIn: UseOauthSignInReturn["signIn"] };

/** `{ signIn() }`: leaves for Google; the page it comes back to is signed in (or `useOauth().flowError` says why not). */
export function useSignInWithGoogle(api: { startSignInWithGoogle: FunctionRef<"mutation">; completeSignInWithGoogle: FunctionRef<"mutation"> }): UseSignInWithGoogleReturn {
  return useOauthSignIn({ providerName: "google", startSignIn: api.startSignInWithGoogle, completeSignIn: api.completeSignInWithGoogle });
}
