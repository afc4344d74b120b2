"use client";
// convex-auth-wasm/methods/github/react: Convex Auth 2's Github sign-in hook (the official names).
import type { FunctionRef } from "convex-auth-wasm/client";
import { useOauthSignIn, type UseOauthSignInReturn } from "../oauth/react.js";

export { useOauth, type UseOauthReturn } from "../oauth/react.js";
export type { OauthCompleteResult, OauthFlowError, OauthStartResult, SignInOptions } from "../oauth/client.js";
export type UseSignInWithGithubReturn = { signIn: UseOauthSignInReturn["signIn"] };

/** `{ signIn() }`: leaves for Github; the page it comes back to is signed in (or `useOauth().flowError` says why not). */
export function useSignInWithGithub(api: { startSignInWithGithub: FunctionRef<"mutation">; completeSignInWithGithub: FunctionRef<"mutation"> }): UseSignInWithGithubReturn {
  return useOauthSignIn({ providerName: "github", startSignIn: api.startSignInWithGithub, completeSignIn: api.completeSignInWithGithub });
}
