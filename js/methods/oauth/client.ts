// Convex Auth 2's OAuth as an ambient sign-in (`oauth()`, 2.0.0's semantics): `signIn(refs)` asks
// the app's start mutation for the provider's URL, keeps the flow's `state` in the session's
// storage and leaves for the provider; the deployment's callback sends the browser back with
// `?convexAuthCode=` (or `?convexAuthError=`), which the page load redeems once — the parameters
// leave the address bar before anything else, the flow is spent before the call, and a failure is
// published as `flowError`, never thrown.
import { functionPath, type FunctionRef } from "convex-auth-wasm/client";
import { makeFunctionReference } from "convex/server";
import type { AmbientSignInClient, AmbientSignInContext } from "../ambient.js";

export type OauthProviderApi = { startSignIn: FunctionRef<"mutation">; completeSignIn: FunctionRef<"mutation"> };
export type OauthProviderRefs = { providerName: string } & OauthProviderApi;
export type OauthFlowError = { error: "ACCESS_DENIED" } | { error: "EXPIRED" } | { error: "INVALID_FLOW" } | { error: "OTHER_ERROR"; cause: unknown };
export type OauthStartResult = { status: "redirect"; redirect: URL } | { status: "error"; userError: { error: "OTHER_ERROR"; cause: unknown } };
export type OauthCompleteResult = { status: "complete" } | { status: "error"; userError: OauthFlowError };
export type SignInOptions = { redirectTo?: string; code?: string };
export type OauthActions = { signIn(refs: OauthProviderRefs, options?: SignInOptions): Promise<OauthStartResult | OauthCompleteResult> };

export const OAUTH_SETUP_ID = "oauth";
const CODE_PARAM = "convexAuthCode";
const ERROR_PARAM = "convexAuthError";

type PendingFlow = { providerName: string; state: string; completeSignIn: string };

/** The flow kept at the start; read once (always removed), `null` when missing or corrupt. */
async function takePendingFlow(context: AmbientSignInContext): Promise<PendingFlow | null> {
  const raw = await context.storage.get("flow");
  await context.storage.remove("flow");
  try {
    const flow = JSON.parse(raw ?? "null") as Partial<PendingFlow> | null;
    const fields = [flow?.providerName, flow?.state, flow?.completeSignIn];
    return fields.every((f) => typeof f === "string") ? (flow as PendingFlow) : null;
  } catch {
    return null;
  }
}

const callbackError = (param: string): OauthFlowError =>
  param === "access_denied" ? { error: "ACCESS_DENIED" } : param === "expired" ? { error: "EXPIRED" } : { error: "OTHER_ERROR", cause: param };

/** A network failure (not an answer) is tried again twice, after 0.5 s and 2 s. */
async function retryingNetworkErrors<T>(call: () => Promise<T>): Promise<T> {
  for (const delay of [500, 2000]) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TypeError) || !/network|failed to fetch|load failed/i.test(error.message)) throw error;
      await new Promise((r) => setTimeout(r, delay + Math.random() * 100));
    }
  }
  return call();
}

/** Registers OAuth with the session (the providers register it by default). */
export function oauth(): AmbientSignInClient {
  return {
    id: OAUTH_SETUP_ID,
    setup(context) {
      const setFlowError = (error: OauthFlowError | null) => context.values.set("flowError", error);

      async function redeem(code: string): Promise<OauthCompleteResult> {
        try {
          const flow = await takePendingFlow(context);
          if (!flow) return { status: "error", userError: { error: "INVALID_FLOW" } };
          const complete = makeFunctionReference<"mutation">(flow.completeSignIn);
          const result = await retryingNetworkErrors(() => context.signInApi.mutation(complete, { code, state: flow.state }));
          // The ticket is unknown, spent, expired or another browser's.
          if (result?.status === "error") return { status: "error", userError: { error: "EXPIRED" } };
          if (result?.status !== "complete") return { status: "error", userError: { error: "OTHER_ERROR", cause: result } };
          await context.client.setSession(result.tokens);
          return { status: "complete" };
        } catch (cause) {
          return { status: "error", userError: { error: "OTHER_ERROR", cause } };
        }
      }

      async function signIn(refs: OauthProviderRefs, options: SignInOptions = {}): Promise<OauthStartResult | OauthCompleteResult> {
        if (options.code !== undefined) {
          setFlowError(null);
          return context.client.withSignInPending(() => redeem(options.code!));
        }
        const href = typeof window !== "undefined" ? (window.location?.href ?? null) : null;
        const redirectTo = options.redirectTo ?? href;
        if (redirectTo === null) throw new Error("convex-auth-wasm: `redirectTo` is required where there is no current page URL, such as React Native");
        setFlowError(null);
        try {
          const { redirect, state } = await context.convex.mutation(refs.startSignIn, { redirectTo });
          const flow: PendingFlow = { providerName: refs.providerName, state, completeSignIn: functionPath(refs.completeSignIn) };
          await context.storage.set("flow", JSON.stringify(flow));
          const url = new URL(redirect);
          if (href !== null && typeof navigator !== "undefined" && navigator.product !== "ReactNative") window.location.href = url.toString();
          return { status: "redirect", redirect: url };
        } catch (cause) {
          return { status: "error", userError: { error: "OTHER_ERROR", cause } };
        }
      }

      /** The page load back from the provider: its parameters leave the address bar at once. */
      function handleCallback() {
        if (typeof window === "undefined" || !window.location?.href) return;
        const url = new URL(window.location.href);
        const code = url.searchParams.get(CODE_PARAM);
        const error = url.searchParams.get(ERROR_PARAM);
        if (code === null && error === null) return;
        url.searchParams.delete(CODE_PARAM);
        url.searchParams.delete(ERROR_PARAM);
        context.replaceUrl(url.toString());
        if (error !== null) {
          void takePendingFlow(context).catch(() => {});
          return setFlowError(callbackError(error));
        }
        void context.client.withSignInPending(async () => {
          const result = await redeem(code!);
          if (result.status === "error") setFlowError(result.userError);
        });
      }

      const actions: OauthActions = { signIn };
      context.values.set("actions", actions);
      context.values.set("flowError", null);
      return { onInit: handleCallback };
    },
  };
}
