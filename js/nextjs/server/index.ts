// convex-auth-wasm/nextjs/server: Convex Auth's Next.js server half with the official names —
// migrating from `@convex-dev/auth/nextjs/server` is an import-path change. Every decision (when
// to refresh, what an answer means for the cookies, the CSRF rule, the cookie names, what the
// page is hydrated with) is the wasm core's; this file moves requests, cookies and responses.
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { cookies as nextCookies, headers as nextHeaders } from "next/headers";
import { fetchAction, fetchMutation, fetchQuery, preloadQuery } from "convex/nextjs";
import type { FunctionReference, FunctionReturnType } from "convex/server";
import type { ReactNode } from "react";
import { createElement } from "react";
import {
  createVerifier,
  nextjsActionBody,
  nextjsCodeExchange,
  nextjsCodeExchangeRefusal,
  nextjsCookies,
  nextjsHydration,
  nextjsIsCrossSite,
  nextjsJudge,
  nextjsOAuthReturnWithoutCode,
  nextjsPageIsCrossSite,
  nextjsPageStep,
  nextjsPolicy,
  nextjsRouteCall,
  nextjsSignOutRefreshesFirst,
  resolveDeployment,
  type EdgeVerifier,
  type VerifiedToken,
} from "convex-auth-wasm/nextjs/wasm";
import { ConvexAuthNextjsServerStateProvider, type ServerState } from "convex-auth-wasm/nextjs";
import { withJsCache } from "../../edge/js-cache.js";
import { SharedResults, callDeployment, cappedText } from "../../wire/index.js";
import { handlerResponse } from "./handler-response.js";

export { createRouteMatcher, type RouteMatcherParam } from "./route-matcher.js";

/** Options of {@link convexAuthNextjsMiddleware} (the official ones, plus `siteUrl` and `jwks`). */
export interface ConvexAuthNextjsMiddlewareOptions {
  /** The deployment's functions URL; default `NEXT_PUBLIC_CONVEX_URL` (or `CONVEX_URL`). */
  convexUrl?: string;
  /** The site URL (issuer, JWKS); default `NEXT_PUBLIC_CONVEX_SITE_URL` / `CONVEX_SITE_URL`, else derived. */
  siteUrl?: string;
  /** The deployment's JWKS inline (default `JWKS` from the environment): verification with no network. */
  jwks?: string;
  /** The auth route; default "/api/auth". */
  apiRoute?: string;
  /** `maxAge` of the auth cookies in seconds; default `null` (session cookies). */
  cookieConfig?: { maxAge: number | null };
  /** Whether to exchange a `?code=` on page requests; default true. */
  shouldHandleCode?: ((request: NextRequest) => boolean | Promise<boolean>) | boolean;
  /** Log each step. */
  verbose?: boolean;
}

/** What a custom handler is given besides the request. */
export interface ConvexAuthContext {
  event: NextFetchEvent;
  convexAuth: {
    /** The verified JWT, or `undefined`. */
    getToken(): Promise<string | undefined>;
    /** Verified locally: no call to the deployment. */
    isAuthenticated(): Promise<boolean>;
    /** The verified identity (`userId`, `sessionId`, claims); `null` without a JWT; rejects with
     *  the verifier's `ConvexAuthError` (`ERR_JWT_EXPIRED`, `ERR_JWT_SIGNATURE_INVALID`, …) for a bad one. */
    getIdentity(): Promise<VerifiedToken | null>;
  };
}

/** The official name of `ctx.convexAuth` (ours adds `getIdentity`). */
export type ConvexAuthNextjsMiddlewareContext = ConvexAuthContext["convexAuth"];

type HandlerResult = Response | null | undefined | void;
type Handler = (request: NextRequest, ctx: ConvexAuthContext) => HandlerResult | Promise<HandlerResult>;
type Tokens = { token: string; refreshToken: string };
type CookieChange = { set?: Tokens; clear?: true; verifier?: string | null };
type Judged = { status: number; body: unknown; cookies: CookieChange; outcome: string; detail: string | null };

/** How the middleware tells the page (its server provider) of a sign-in that failed on the way
 *  in — a refused code, an OAuth return without one. Never taken from the browser. */
const SIGN_IN_ERROR_HEADER = "x-convex-auth-sign-in-error";
type SignInError = { code: "ERR_SIGN_IN_FAILED" | "ERR_SIGN_IN_INCOMPLETE"; message: string };

const policy = nextjsPolicy() as { sharedRefreshMs: number; convexTimeoutMs: number; maxRouteBodyBytes: number };

/** The deployment's URLs and keys, from the options, else the environment (read per call). */
function deployment(options: { convexUrl?: string; siteUrl?: string; jwks?: string } = {}) {
  const env = typeof process === "undefined" ? {} : process.env;
  const convexUrl = options.convexUrl ?? publicEnv().convexUrl ?? env.CONVEX_URL;
  if (!convexUrl) throw new Error("convex-auth-wasm: set NEXT_PUBLIC_CONVEX_URL (or pass convexUrl)");
  const siteUrl = options.siteUrl ?? publicEnv().siteUrl ?? env.CONVEX_SITE_URL;
  return { convexUrl, siteUrl, jwks: options.jwks ?? env.JWKS };
}

/** The public variables, read as literal `process.env.NEXT_PUBLIC_…` expressions: Next.js inlines
 *  those where it bundles this code (the middleware), so a URL given only at build time works,
 *  as it does with the official package. */
function publicEnv(): { convexUrl?: string; siteUrl?: string } {
  if (typeof process === "undefined") return {};
  return { convexUrl: process.env.NEXT_PUBLIC_CONVEX_URL, siteUrl: process.env.NEXT_PUBLIC_CONVEX_SITE_URL };
}

/** The deployment's two URLs as the core resolves them (the site URL given, else derived). */
function resolvedDeployment(options: { convexUrl?: string; siteUrl?: string } = {}): { convexUrl: string; siteUrl: string } {
  const { convexUrl, siteUrl } = deployment(options);
  return resolveDeployment({ convexUrl, ...(siteUrl ? { siteUrl } : {}) }) as { convexUrl: string; siteUrl: string };
}

const verifiers = new Map<string, EdgeVerifier>();
/** One verifier per deployment and isolate (its cache makes repeat checks nearly free). */
function verifierFor(options: { convexUrl?: string; siteUrl?: string; jwks?: string } = {}): EdgeVerifier {
  const { convexUrl, siteUrl, jwks } = deployment(options);
  const key = `${convexUrl}|${siteUrl ?? ""}|${jwks ?? ""}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    // The core's URL rules: the site URL derived (Convex Cloud, a local backend), or checked.
    const site = resolvedDeployment({ convexUrl, siteUrl }).siteUrl;
    verifier = withJsCache(createVerifier({ siteUrl: site, ...(jwks ? { jwks } : {}) }));
    verifiers.set(key, verifier);
  }
  return verifier;
}

/** The verified identity of `token`, or null (expired, forged, absent). */
async function identityOf(verifier: EdgeVerifier, token: string | null | undefined): Promise<VerifiedToken | null> {
  if (!token) return null;
  try {
    return await verifier.verify(token);
  } catch {
    return null;
  }
}

async function callConvex(
  convexUrl: string,
  path: string,
  args: unknown,
  token: string | undefined,
  purpose: "refresh" | "signIn" | "codeExchange",
): Promise<Judged> {
  const reply = await callDeployment(convexUrl, "action", nextjsActionBody(path, JSON.stringify(args ?? {})), { token, timeoutMs: policy.convexTimeoutMs });
  return nextjsJudge(purpose, reply.status, reply.body, reply.failure) as Judged;
}

/** Refreshes shared by every request carrying the same refresh token (single flight per isolate);
 *  only a definitive answer is worth sharing, a transient one is retried by the next request. */
const refreshes = new SharedResults<Judged>(policy.sharedRefreshMs, (judged) => judged.outcome !== "unavailable");
/** What a refresh that a sign-out overtook comes to: signed out. */
const SIGNED_OUT_MEANWHILE: Judged = { status: 200, body: { tokens: null }, cookies: { clear: true }, outcome: "signedOut", detail: "signed out meanwhile" };
async function sharedRefresh(convexUrl: string, refreshToken: string): Promise<Judged> {
  const judged = await refreshes.get(refreshToken, () => callConvex(convexUrl, "auth:signIn", { refreshToken }, undefined, "refresh"));
  return refreshes.isEnded(refreshToken) ? SIGNED_OUT_MEANWHILE : judged;
}

type CookieNames = { jwt: string; refreshToken: string; verifier: string; signInError: string; secure: boolean };
type CookieJar = { get(name: string): { value: string } | undefined };

function hostOf(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}

const header = (request: Request, name: string) => request.headers.get(name) ?? undefined;

/** The core's CSRF rule for a call to the auth route. */
function isCrossSite(request: Request): boolean {
  return nextjsIsCrossSite(header(request, "origin"), hostOf(request), request.url, header(request, "sec-fetch-site"));
}

/** The core's rule for a page request: a GET navigation (a link from anywhere) never is cross-site. */
function isPageCrossSite(request: Request): boolean {
  const site = header(request, "sec-fetch-site");
  return nextjsPageIsCrossSite(request.method, header(request, "sec-fetch-mode"), header(request, "origin"), hostOf(request), request.url, site);
}

type CookieTarget = { cookies: { set(name: string, value: string, options?: object): unknown; delete(name: string): unknown } };

/** Applies a cookie change to a response, or to a request (so the handler and the pages see it). */
function applyCookies(change: CookieChange, names: CookieNames, target: NextResponse | NextRequest, maxAge: number | null) {
  const jar = (target as CookieTarget).cookies;
  const isResponse = target instanceof NextResponse;
  const options = { httpOnly: true, secure: names.secure, sameSite: "lax" as const, path: "/", ...(maxAge ? { maxAge } : {}) };
  const set = (name: string, value: string | null) => {
    if (!isResponse) void (value === null ? jar.delete(name) : jar.set(name, value));
    else if (value === null) jar.set(name, "", { ...options, maxAge: undefined, expires: new Date(0) });
    else jar.set(name, value, options);
  };
  if (change.set) {
    set(names.jwt, change.set.token);
    set(names.refreshToken, change.set.refreshToken);
    set(names.verifier, null);
  } else if (change.clear) {
    set(names.jwt, null);
    set(names.refreshToken, null);
    set(names.verifier, null);
  } else if ("verifier" in change) {
    set(names.verifier, change.verifier ?? null);
  }
}

function log(verbose: boolean | undefined, message: string) {
  if (verbose) console.debug(`[convex-auth-wasm] ${new Date().toISOString()} ${message}`);
}

function isRoute(pathname: string, apiRoute: string): boolean {
  const base = apiRoute.endsWith("/") ? apiRoute.slice(0, -1) : apiRoute;
  return pathname === base || pathname === `${base}/`;
}

/** The auth route: sign-in, refresh and sign-out, proxied to the deployment. */
async function serveRoute(request: NextRequest, options: ConvexAuthNextjsMiddlewareOptions, names: CookieNames) {
  const { convexUrl } = deployment(options);
  verifierFor(options); // the deployment URLs checked before a refresh token is sent anywhere
  const cross = isCrossSite(request);
  const body = request.method === "POST" && !cross ? await cappedText(request, policy.maxRouteBodyBytes) : "";
  const asked = nextjsRouteCall(request.method, cross, body) as {
    call?: "refresh" | "signIn" | "signOut";
    args?: Record<string, unknown>;
    withToken?: boolean;
    refusal?: { status: number; code: string; message: string };
  };
  if (asked.refusal) {
    log(options.verbose, `route refused: ${asked.refusal.code}`);
    return NextResponse.json({ error: asked.refusal.message, code: asked.refusal.code }, { status: asked.refusal.status });
  }
  const maxAge = options.cookieConfig?.maxAge ?? null;
  const jar = request.cookies as CookieJar;
  const respond = (judged: Judged) => {
    log(options.verbose, `route ${asked.call}: ${judged.outcome}${judged.detail ? ` (${judged.detail})` : ""}`);
    const response = NextResponse.json(judged.body, { status: judged.status });
    applyCookies(judged.cookies, names, response, maxAge);
    return response;
  };
  if (asked.call === "refresh") {
    const refreshToken = jar.get(names.refreshToken)?.value;
    // No session: the definitive answer, without a call.
    if (!refreshToken) return NextResponse.json({ tokens: null });
    return respond(await sharedRefresh(convexUrl, refreshToken));
  }
  if (asked.call === "signIn") {
    const args = { ...asked.args };
    const params = args.params as Record<string, unknown> | undefined;
    if (params?.code !== undefined) args.verifier = jar.get(names.verifier)?.value;
    const token = asked.withToken ? jar.get(names.jwt)?.value : undefined;
    const purpose = asked.withToken ? "signIn" : "codeExchange";
    return respond(await callConvex(convexUrl, "auth:signIn", args, token, purpose));
  }
  // Sign-out: tell the deployment (best effort; its answer is not read), then clear the cookies.
  // Its bearer names the session to end: an expired JWT names none, so refresh first.
  let jwt = jar.get(names.jwt)?.value;
  const refreshToken = jar.get(names.refreshToken)?.value;
  if (refreshToken !== undefined && nextjsSignOutRefreshesFirst(jwt, refreshToken, Date.now())) {
    jwt = (await sharedRefresh(convexUrl, refreshToken)).cookies.set?.token ?? jwt;
  }
  // A refresh shared with requests still in flight must not put the cookies back.
  if (refreshToken !== undefined) refreshes.end(refreshToken);
  await callConvex(convexUrl, "auth:signOut", {}, jwt, "signIn");
  const response = NextResponse.json(null);
  applyCookies({ clear: true }, names, response, maxAge);
  return response;
}

/**
 * A page request's part in signing in: a `?code=` (OAuth, magic link) exchanged — the redirect to
 * the same URL without it — or refused, or an OAuth sign-in back without a code. A failure is the
 * page's to show (its server provider hands it to the client, which cleans the address bar); the
 * session the browser has stays.
 */
async function signInOnPage(
  request: NextRequest,
  options: ConvexAuthNextjsMiddlewareOptions,
  names: CookieNames,
  cross: boolean,
): Promise<NextResponse | SignInError | undefined> {
  const jar = request.cookies as CookieJar;
  const accept = header(request, "accept");
  const site = header(request, "sec-fetch-site");
  const verifier = jar.get(names.verifier)?.value;
  const exchange = nextjsCodeExchange(request.method, accept, request.url) as { code: string; redirect: string } | null;
  if (exchange) {
    const refusal = nextjsCodeExchangeRefusal(site, verifier !== undefined, jar.get(names.refreshToken) !== undefined);
    if (refusal) return { code: "ERR_SIGN_IN_FAILED", message: refusal };
    if (cross) return undefined;
    const handleCode =
      typeof options.shouldHandleCode === "function" ? await options.shouldHandleCode(request) : (options.shouldHandleCode ?? true);
    if (!handleCode) return undefined;
    const { convexUrl } = deployment(options);
    const judged = await callConvex(convexUrl, "auth:signIn", { params: { code: exchange.code }, verifier }, undefined, "codeExchange");
    log(options.verbose, `code exchange: ${judged.outcome}${judged.detail ? ` (${judged.detail})` : ""}`);
    if (judged.outcome === "tokens") {
      const response = NextResponse.redirect(exchange.redirect);
      applyCookies(judged.cookies, names, response, options.cookieConfig?.maxAge ?? null);
      return response;
    }
    const message = judged.outcome === "refused" && judged.detail ? judged.detail : "the Convex deployment could not answer; sign in again";
    return { code: "ERR_SIGN_IN_FAILED", message };
  }
  if (nextjsOAuthReturnWithoutCode(request.method, accept, request.url, site, verifier !== undefined)) {
    log(options.verbose, "an OAuth sign-in came back without a code");
    return { code: "ERR_SIGN_IN_INCOMPLETE", message: "" };
  }
  return undefined;
}

/**
 * Use as `export default convexAuthNextjsMiddleware(…)` in `middleware.ts`, or as
 * `export const proxy = convexAuthNextjsMiddleware(…)` in Next 16's `proxy.ts`. Serves the auth
 * route, refreshes the JWT cookie when it is about to expire (once per refresh token, however
 * many requests carry it), exchanges a `?code=`, and hands `handler` a locally verified identity.
 */
export function convexAuthNextjsMiddleware(handler?: Handler, options: ConvexAuthNextjsMiddlewareOptions = {}) {
  if (options.cookieConfig?.maxAge != null && options.cookieConfig.maxAge <= 0) {
    throw new Error("convex-auth-wasm: cookieConfig.maxAge must be null or a positive number of seconds");
  }
  return async (request: NextRequest, event: NextFetchEvent): Promise<Response> => {
    const names = nextjsCookies(hostOf(request)) as CookieNames;
    const apiRoute = options.apiRoute ?? "/api/auth";
    if (isRoute(request.nextUrl.pathname, apiRoute)) return serveRoute(request, options, names);

    const { convexUrl } = deployment(options);
    const verifier = verifierFor(options);
    const maxAge = options.cookieConfig?.maxAge ?? null;
    const jar = request.cookies as CookieJar;
    const cross = isPageCrossSite(request);
    request.headers.delete(SIGN_IN_ERROR_HEADER);
    // A failure carried across the redirect the handler answered the last request with.
    const carried = jar.get(names.signInError)?.value;
    let signInError = carried ? parseSignInError(carried) : undefined;

    const signedIn = await signInOnPage(request, options, names, cross);
    if (signedIn instanceof NextResponse) return signedIn;
    signInError = signedIn ?? signInError;
    if (signInError) request.headers.set(SIGN_IN_ERROR_HEADER, encodeURIComponent(JSON.stringify(signInError)));
    if (carried) request.cookies.delete(names.signInError);

    let change: CookieChange = {};
    const step = nextjsPageStep(jar.get(names.jwt)?.value, jar.get(names.refreshToken)?.value, cross, Date.now());
    if (step === "refresh") {
      const judged = await sharedRefresh(convexUrl, jar.get(names.refreshToken)!.value);
      log(options.verbose, `refresh: ${judged.outcome}${judged.detail ? ` (${judged.detail})` : ""}`);
      change = judged.cookies; // unavailable: {} — the cookies stay, the next request retries
    } else if (step === "clear") {
      change = { clear: true };
    }
    // A failed sign-in's verifier is spent.
    if (signInError && !change.set && !change.clear) change = { verifier: null };
    // The handler (and the pages after it) see the refreshed cookies.
    applyCookies(change, names, request, maxAge);
    const token = cross ? undefined : jar.get(names.jwt)?.value;
    let identity: Promise<VerifiedToken | null> | undefined;
    const getIdentity = () => (identity ??= token ? verifier.verify(token) : Promise.resolve(null));
    const verified = () => getIdentity().catch(() => null);
    const ctx: ConvexAuthContext = {
      event,
      convexAuth: {
        getIdentity,
        isAuthenticated: async () => (await verified()) !== null,
        getToken: async () => ((await verified()) ? token : undefined),
      },
    };
    const response = handlerResponse(handler ? await handler(request, ctx) : undefined, request);
    applyCookies(change, names, response, maxAge);
    carrySignInError(signInError, carried !== undefined, response, names);
    return response;
  };
}

/** Cookies of the current request (server components, server actions, route handlers). */
async function requestCookies() {
  const headers = await nextHeaders();
  const jar = await nextCookies();
  const names = nextjsCookies(headers.get("host") ?? "") as CookieNames;
  return { jwt: jar.get(names.jwt)?.value, refreshToken: jar.get(names.refreshToken)?.value };
}

/** A redirect answered to a request that saw a sign-in failure carries it (a cookie for the next
 *  request's page); the page that shows it clears it. */
function carrySignInError(error: SignInError | undefined, wasCarried: boolean, response: NextResponse, names: CookieNames) {
  const redirected = response.status >= 300 && response.status < 400;
  const options = { httpOnly: true, secure: names.secure, sameSite: "lax" as const, path: "/" };
  if (error && redirected) response.cookies.set(names.signInError, encodeURIComponent(JSON.stringify(error)), { ...options, maxAge: 60 });
  else if (wasCarried) response.cookies.set(names.signInError, "", { ...options, expires: new Date(0) });
}

function parseSignInError(text: string): SignInError | undefined {
  try {
    const value = JSON.parse(decodeURIComponent(text)) as Partial<SignInError>;
    const known = value.code === "ERR_SIGN_IN_FAILED" || value.code === "ERR_SIGN_IN_INCOMPLETE";
    return known ? { code: value.code!, message: String(value.message ?? "") } : undefined;
  } catch {
    return undefined;
  }
}

/** The sign-in failure the middleware saw for this request, if any. */
async function signInErrorOfRequest(): Promise<SignInError | null> {
  const raw = (await nextHeaders()).get(SIGN_IN_ERROR_HEADER);
  return (raw && parseSignInError(raw)) || null;
}

/**
 * The JWT of the current request, verified locally (no network once the keys are known), or
 * `undefined` — for `fetchQuery(…, { token })` in server components, server actions and route handlers.
 */
export async function convexAuthNextjsToken(options?: { convexUrl?: string; siteUrl?: string; jwks?: string }): Promise<string | undefined> {
  const { jwt } = await requestCookies();
  return (await identityOf(verifierFor(options), jwt)) ? jwt : undefined;
}

/** Whether the current request carries a valid session, checked locally (no call to the deployment). */
export async function isAuthenticatedNextjs(options?: { convexUrl?: string; siteUrl?: string; jwks?: string }): Promise<boolean> {
  return (await convexAuthNextjsToken(options)) !== undefined;
}

/** Redirects from the middleware to `route`, a path; the request's query string goes along
 *  (as with the official function) unless `route` brings its own. */
export function nextjsMiddlewareRedirect(request: NextRequest, route: string): NextResponse {
  const url = request.nextUrl.clone();
  const target = new URL(route, "http://placeholder");
  url.pathname = target.pathname;
  if (target.search) url.search = target.search;
  return NextResponse.redirect(url);
}

/** Props of {@link ConvexAuthNextjsServerProvider}. */
export interface ConvexAuthNextjsServerProviderProps {
  /** The auth route; default "/api/auth". */
  apiRoute?: string;
  /** @deprecated cookie mode keeps tokens in cookies; accepted for compatibility. */
  storage?: "localStorage" | "inMemory";
  storageNamespace?: string;
  /** Whether the client exchanges a `?code=` itself (the middleware does by default). */
  shouldHandleCode?: boolean;
  /** Logs the session's state changes in the browser console. */
  verbose?: boolean;
  children: ReactNode;
}

/**
 * Wrap your root layout's children. Hydrates the client with what the server saw — its verified
 * JWT, or that there is no session — so loading a page makes no refresh call.
 */
export async function ConvexAuthNextjsServerProvider(props: ConvexAuthNextjsServerProviderProps) {
  const { jwt, refreshToken } = await requestCookies();
  const verified = (await identityOf(verifierFor(), jwt)) ? jwt : undefined;
  const { convexUrl, siteUrl } = resolvedDeployment();
  const state: ServerState = {
    token: nextjsHydration(verified, refreshToken !== undefined) as string | null | undefined,
    apiRoute: props.apiRoute ?? "/api/auth",
    convexUrl,
    siteUrl,
    storageNamespace: props.storageNamespace,
    shouldHandleCode: props.shouldHandleCode ?? false,
    verbose: props.verbose ?? false,
    signInError: await signInErrorOfRequest(),
  };
  return createElement(ConvexAuthNextjsServerStateProvider, { state, children: props.children });
}

type AnyQuery = FunctionReference<"query">;
type AnyMutation = FunctionReference<"mutation">;
type AnyAction = FunctionReference<"action">;
type CallOptions = { url?: string; token?: string };

async function withToken(options?: CallOptions): Promise<CallOptions> {
  const { convexUrl } = deployment({ convexUrl: options?.url });
  return { url: convexUrl, token: options?.token ?? (await convexAuthNextjsToken({ convexUrl })), ...(options ?? {}) };
}

/** `fetchQuery` from `convex/nextjs` with the request's verified JWT attached. */
export async function fetchAuthQuery<Q extends AnyQuery>(query: Q, args: Q["_args"] = {} as Q["_args"], options?: CallOptions): Promise<FunctionReturnType<Q>> {
  return fetchQuery(query, args, await withToken(options));
}

/** `fetchMutation` from `convex/nextjs` with the request's verified JWT attached. */
export async function fetchAuthMutation<M extends AnyMutation>(mutation: M, args: M["_args"] = {} as M["_args"], options?: CallOptions): Promise<FunctionReturnType<M>> {
  return fetchMutation(mutation, args, await withToken(options));
}

/** `fetchAction` from `convex/nextjs` with the request's verified JWT attached. */
export async function fetchAuthAction<A extends AnyAction>(action: A, args: A["_args"] = {} as A["_args"], options?: CallOptions): Promise<FunctionReturnType<A>> {
  return fetchAction(action, args, await withToken(options));
}

/** `preloadQuery` from `convex/nextjs` with the request's verified JWT attached (for `usePreloadedQuery`). */
export async function preloadAuthQuery<Q extends AnyQuery>(query: Q, args: Q["_args"] = {} as Q["_args"], options?: CallOptions) {
  return preloadQuery(query, args, await withToken(options));
}
