// convex-auth-wasm/ssr: Convex Auth 2's server routes with the official names — migrating from
// `@convex-dev/auth/ssr` is an import-path change. Plain WHATWG handlers (Request → Response) for
// any framework. Every decision (the CSRF rule, what the deployment's answer means for the
// cookies and the browser, the cookies' lines) is the wasm core's; this file moves requests.
// Unlike 2.0.0: a deployment that fails or hangs is a 503 `ERR_AUTH_UNAVAILABLE` within 10 s
// (never a 500, never a sign-out); each request makes its own call (one hung refresh blocks no
// other); requests carrying the same refresh token share one refresh; sign-out clears the
// cookies whatever happens and says when the deployment did not confirm.
import { getFunctionName, type FunctionReference } from "convex/server";
import {
  nextjsActionBody,
  nextjsPolicy,
  ssrCookieOptions,
  ssrForbiddenAnswer,
  ssrIsTrustedOrigin,
  ssrProxyAnswer,
  ssrProxyCall,
  ssrRefreshAnswer,
  ssrSessionCookies,
  ssrSignOutAnswer,
} from "convex-auth-wasm/nextjs/wasm";
import { SharedResults, callDeployment, cappedText, type DeploymentReply } from "../wire/index.js";
import { coordinatedRefresh, type RefreshStore } from "./store.js";

export type { RefreshStore } from "./store.js";

/** A WHATWG request handler. */
export type RequestHandler = (request: Request) => Promise<Response>;

/** The session cookies' attributes an app chooses; `secure` is required (as in 2.0.0). */
export interface AuthCookieOptions {
  secure: boolean;
  path?: string;
  domain?: string;
}

/** A function reference, or its name (`"auth:refreshSession"`). */
type FunctionName<Type extends "query" | "mutation" | "action"> = FunctionReference<Type, "public"> | string;

/** The app's `refreshSession` mutation. */
export type RefreshSessionFn = FunctionName<"mutation">;
/** The app's `signOut` mutation. */
export type SignOutFn = FunctionName<"mutation">;
/** A sign-in function the proxy forwards to (a mutation or an action returning the sign-in envelope). */
export type ExposedSignInFn = FunctionName<"mutation"> | FunctionName<"action">;

interface Common {
  /** The deployment's `.convex.cloud` URL (the server calls it). */
  convexUrl: string;
  cookieOptions: AuthCookieOptions;
  /** Origins (or bare hosts) trusted besides the request's own `Host`: a proxy that rewrites it. */
  allowedOrigins?: string[];
  /** Log each step (ours). */
  verbose?: boolean;
}
export interface RefreshHandlerConfig extends Common {
  refreshSession: RefreshSessionFn;
  /** Ours, opt-in: refreshes coordinated across server instances (README, "More than one server"). */
  refreshStore?: RefreshStore;
}
export interface SignOutHandlerConfig extends Common {
  signOut: SignOutFn;
}
export interface ConvexProxyConfig extends Common {
  /** The sign-in functions reachable through the proxy: nothing else is. */
  signIn: ExposedSignInFn[];
}
export interface ConvexAuthServerConfig extends Common {
  refreshSession: RefreshSessionFn;
  /** Ours, opt-in: refreshes coordinated across server instances (README, "More than one server"). */
  refreshStore?: RefreshStore;
  signOut: SignOutFn;
  signIn: ExposedSignInFn[];
}

/** What the browser may hold of a session. */
export type SlimTokenBundle = { accessToken: string; userId: string };
/** The refresh and sign-out routes' body (ours adds `code` and `error` where it differs). */
export type AuthSessionResponse = { tokens: SlimTokenBundle | null; code?: string; error?: string };

/** The official cookie names. */
export const AUTH_JWT_COOKIE = "__convexAuthJWT";
export const AUTH_REFRESH_COOKIE = "__convexAuthRefreshToken";

const policy = nextjsPolicy() as { sharedRefreshMs: number; convexTimeoutMs: number; maxRouteBodyBytes: number };
/** @internal A route's answer, as the core gives it. */
export type Answer = {
  status: number;
  body: unknown;
  setCookie: string[];
  /** The cookies' new values (for the request a proxy passes on), `null` when cleared. */
  session: { jwt: string; refreshToken: string } | null | "kept";
  outcome: string;
  detail: string | null;
};
type ProxyReply = { status: number; json: boolean; body: string; setCookie: string[] };

/** @internal */
export const nameOf = (fn: FunctionName<"query" | "mutation" | "action">) => (typeof fn === "string" ? fn : getFunctionName(fn));

/** @internal The checked cookie options (JSON text), or `ERR_CONFIG_INVALID` at setup. */
export const checkedOptions = (options: AuthCookieOptions) => ssrCookieOptions(JSON.stringify(options ?? null));

/** The CSRF rule: the `Origin` is the request's own `Host` or one of `allowedOrigins`. */
export function isTrustedOrigin(request: Request, allowedOrigins: string[] = []): boolean {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  return ssrIsTrustedOrigin(request.headers.get("origin") ?? undefined, host, allowedOrigins);
}

/** @internal */
export function log(verbose: boolean | undefined, message: string) {
  if (verbose) console.debug(`[convex-auth-wasm/ssr] ${new Date().toISOString()} ${message}`);
}

function withCookies(response: Response, setCookie: string[]): Response {
  response.headers.set("cache-control", "no-store");
  for (const line of setCookie) response.headers.append("set-cookie", line);
  return response;
}

const respond = (answer: Answer) => withCookies(Response.json(answer.body, { status: answer.status }), answer.setCookie);

/** A handler that never throws: an error of its own is a 503 like a deployment's. */
function guarded(config: Common, route: string, handle: (request: Request, options: string) => Promise<Response>): RequestHandler {
  const options = checkedOptions(config.cookieOptions);
  return async (request) => {
    try {
      if (!isTrustedOrigin(request, config.allowedOrigins)) {
        log(config.verbose, `${route}: refused (Origin ${request.headers.get("origin") ?? "absent"})`);
        return respond(ssrForbiddenAnswer() as Answer);
      }
      return await handle(request, options);
    } catch (error) {
      console.error(`[convex-auth-wasm/ssr] ${route}:`, error);
      return respond(ssrRefreshAnswer(undefined, undefined, `the route failed: ${(error as Error)?.message}`, options) as Answer);
    }
  };
}

/** @internal A function call to the deployment (plain JSON arguments), bounded by the timeout. */
export const callFunction = (convexUrl: string, kind: "query" | "mutation", path: string, args: object, token?: string): Promise<DeploymentReply> =>
  callDeployment(convexUrl, kind, nextjsActionBody(path, JSON.stringify(args)), { token, timeoutMs: policy.convexTimeoutMs });
const mutation = (convexUrl: string, path: string, args: object) => callFunction(convexUrl, "mutation", path, args);

/** @internal */
export const sessionCookies = (request: Request) => ssrSessionCookies(request.headers.get("cookie") ?? undefined) as { jwt: string | null; refreshToken: string | null };

/** Refreshes in flight or just settled, per refresh token, shared by every handler of this
 *  isolate: the deployment's reply (each caller's answer is written with its own cookie options). */
const refreshes = new SharedResults<{ reply: DeploymentReply; transient: boolean }>(policy.sharedRefreshMs, (r) => !r.transient);

/** @internal A refresh of the session `refreshToken` names, shared by every request carrying it
 *  (the refresh route's and the Next.js proxy's): the answer for the refresh route. A sign-out
 *  that overtook it makes it a "no session" answer. */
export async function sharedRefresh(convexUrl: string, path: string, refreshToken: string, options: string, store?: RefreshStore): Promise<Answer> {
  const key = `${convexUrl}|${refreshToken}`;
  const transient = (reply: DeploymentReply) => (ssrRefreshAnswer(reply.status, reply.body, reply.failure, options) as Answer).outcome === "unavailable";
  const { reply } = await refreshes.get(key, async () => {
    const call = () => mutation(convexUrl, path, { refreshToken });
    const reply = store
      ? await coordinatedRefresh(store, key, call, { windowMs: policy.sharedRefreshMs, timeoutMs: policy.convexTimeoutMs, transient })
      : await call();
    return { reply, transient: transient(reply) };
  });
  if (refreshes.isEnded(key)) return ssrRefreshAnswer(undefined, undefined, undefined, options) as Answer;
  return ssrRefreshAnswer(reply.status, reply.body, reply.failure, options) as Answer;
}

/** `POST /auth/refresh`: rotates the session from the refresh-token cookie. 200
 *  `{tokens:{accessToken,userId}}` and new cookies; 401 `{tokens:null}` when there is no session
 *  (cookies cleared); 503 `ERR_AUTH_UNAVAILABLE` when the deployment could not answer (cookies kept). */
export function refreshHandler(config: RefreshHandlerConfig): RequestHandler {
  const path = nameOf(config.refreshSession);
  return guarded(config, "refresh", async (request, options) => {
    const { refreshToken } = sessionCookies(request);
    if (!refreshToken) return respond(ssrRefreshAnswer(undefined, undefined, undefined, options) as Answer);
    const answer = await sharedRefresh(config.convexUrl, path, refreshToken, options, config.refreshStore);
    log(config.verbose, `refresh: ${answer.outcome}${answer.detail ? ` (${answer.detail})` : ""}`);
    return respond(answer);
  });
}

/** `POST /auth/signout`: ends the session at the deployment and clears the cookies — always;
 *  the body carries `ERR_SIGN_OUT_UNCONFIRMED` when the deployment did not confirm. */
export function signOutHandler(config: SignOutHandlerConfig): RequestHandler {
  const path = nameOf(config.signOut);
  return guarded(config, "signout", async (request, options) => {
    const { refreshToken } = sessionCookies(request);
    if (!refreshToken) return respond(ssrSignOutAnswer(false, undefined, undefined, undefined, options) as Answer);
    // A refresh shared with requests still in flight must not put the cookies back.
    refreshes.end(`${config.convexUrl}|${refreshToken}`);
    const reply = await mutation(config.convexUrl, path, { refreshToken });
    const answer = ssrSignOutAnswer(true, reply.status, reply.body, reply.failure, options) as Answer;
    log(config.verbose, `signout: ${answer.outcome}${answer.detail ? ` (${answer.detail})` : ""}`);
    return respond(answer);
  });
}

/** `POST /auth/signin?path=/api/<kind>`: the browser's `ConvexHttpClient` calls the allowlisted
 *  sign-in functions through the app; a completed sign-in's refresh token goes to its cookie. */
export function convexProxyHandler(config: ConvexProxyConfig): RequestHandler {
  const allowed = config.signIn.map(nameOf);
  const reply = (r: ProxyReply) =>
    withCookies(new Response(r.body, { status: r.status, headers: { "content-type": r.json ? "application/json" : "text/plain; charset=utf-8" } }), r.setCookie);
  return guarded(config, "signin", async (request, options) => {
    const body = request.method === "POST" ? await cappedText(request, policy.maxRouteBodyBytes) : "";
    const call = ssrProxyCall(new URL(request.url).searchParams.get("path") ?? undefined, body ?? undefined, allowed) as
      | { kind: "query" | "mutation" | "action"; body: string; reply?: undefined }
      | { reply: ProxyReply };
    if (call.reply) return reply(call.reply);
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "convex-client"]) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const upstream = await callDeployment(config.convexUrl, call.kind, call.body, { timeoutMs: policy.convexTimeoutMs, headers });
    const answer = ssrProxyAnswer(upstream.status, upstream.body, upstream.failure, options) as ProxyReply;
    log(config.verbose, `signin: ${answer.status}${upstream.failure ? ` (${upstream.failure})` : ""}`);
    return reply(answer);
  });
}

/** The three handlers, configured once (the official entry point). Mount them as POST routes at
 *  `/auth/refresh`, `/auth/signout` and `/auth/signin`. */
export function setupConvexAuthServer(config: ConvexAuthServerConfig) {
  return {
    refreshHandler: refreshHandler(config),
    signOutHandler: signOutHandler(config),
    convexProxyHandler: convexProxyHandler(config),
  };
}
