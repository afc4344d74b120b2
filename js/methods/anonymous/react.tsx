"use client";
// convex-auth-wasm/methods/anonymous/react: Convex Auth 2's anonymous sign-in hook, with the
// official name, over this package's session.
import type { FunctionRef } from "convex-auth-wasm/client";
import { useSignInFlow } from "../flow.js";

/** `{ signIn(), pending }`: signs in with `api.signInAnonymously`. */
export function useSignInAnonymously(api: { signInAnonymously: FunctionRef<"mutation"> }) {
  const { run, pending } = useSignInFlow<Record<string, never>>(api.signInAnonymously);
  return { signIn: () => run({}), pending };
}
