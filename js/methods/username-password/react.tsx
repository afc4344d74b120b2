"use client";
// convex-auth-wasm/methods/username-password/react: Convex Auth 2's username + password hooks,
// with the official names, over this package's session.
import type { FunctionRef } from "convex-auth-wasm/client";
import { useSignInFlow, type SignInFlowResult } from "../flow.js";

export type { SignInFlowResult } from "../flow.js";
export type Credentials = { username: string; password: string };

/** `{ signIn(credentials), pending }`: signs in with `api.signInWithUsernamePassword`. */
export function useSignInWithUsernamePassword(api: { signInWithUsernamePassword: FunctionRef<"mutation"> }) {
  const { run, pending } = useSignInFlow<Credentials>(api.signInWithUsernamePassword);
  return { signIn: run as (credentials: Credentials) => Promise<SignInFlowResult>, pending };
}

/** `{ signUp(credentials), pending }`: signs up (and in) with `api.signUpWithUsernamePassword`. */
export function useSignUpWithUsernamePassword(api: { signUpWithUsernamePassword: FunctionRef<"mutation"> }) {
  const { run, pending } = useSignInFlow<Credentials>(api.signUpWithUsernamePassword);
  return { signUp: run as (credentials: Credentials) => Promise<SignInFlowResult>, pending };
}
