"use client";
// convex-auth-wasm/methods/apple/react: Convex Auth 2's Apple sign-in hook (the official names).
import type { FunctionRef } from "convex-auth-wasm/client";
import { useOauthSignIn, type UseOauthSignInReturn } from "../oauth/react.js";

export { useOauth, type UseOauthReturn } from "../oauth/react.js";
export type { OauthCompleteResult, OauthFlowError, OauthStartResult, SignInOptions } from "../oauth/client.js";
export type UseSignInWithAppleReturn = { signIn: UseOauthSignInReturn["signIn"] };

/** `{ signIn() }`: leaves for Apple; the page it comes back to is signed in (or `useOauth().flowError` says why not). */
export function useSignInWithApple(api: { startSignInWithApple: FunctionRef<"mutation">; completeSignInWithApple: FunctionRef<"mutation"> }): UseSignInWithAppleReturn {
  return useOauthSignIn({ providerName: "apple", startSignIn: api.startSignInWithApple, completeSignIn: api.completeSignInWithApple });
}
