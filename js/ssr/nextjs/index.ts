// convex-auth-wasm/ssr/nextjs: Convex Auth 2's Next.js server half with the official names —
// migrating from `@convex-dev/auth/ssr/nextjs` is an import-path change. The proxy refreshes the session when its
// JWT is missing or about to expire — once per refresh token however many requests race — and
// passes the new cookies to the page it renders; a failed refresh never turns into a 500 (the
// page renders with what is still valid, or anonymous, the cookies kept). `isAuthenticated` is
// checked locally against the deployment's JWKS: no backend call per request.
import { NextResponse, type NextRequest } from "next/server";
import { cookies as nextCookies, headers as nextHeaders } from "next/headers";
import {
  createVerifier,
  nextjsPageIsCrossSite,
  nextjsPageStep,
  ssrRefreshAnswer,
  type EdgeVerifier,
  type VerifiedToken,
} from "convex-auth-wasm/nextjs/wasm";
import { withJsCache } from "../../edge/js-cache.js";
import { handlerResponse } from "../../nextjs/server/handler-response.js";
import {
  AUTH_JWT_COOKIE,
  AUTH_REFRESH_COOKIE,
  callFunction,
  checkedOptions,
  log,
  nameOf,
  sessionCookies,
  sharedRefresh,
  type Answer,
  type AuthCookieOptions,
  type RefreshSessionFn,
  type RefreshStore,
} from "../index.js";
import { fetchAction, fetchMutation, fetchQuery, preloadQuery } from "convex/nextjs";
import { createElement, type ReactNode } from "react";
import { ConvexAuthNextjsProvider } from "convex-auth-wasm/ssr/nextjs/client";
import type { FunctionReference, FunctionReturnType } from "convex/server";

type AnyQuery = FunctionReference<"query">;
type AnyMutation = FunctionReference<"mutation">;
type AnyAction = FunctionReference<"action">;
/** `convex/nextjs`'s options: `token` given wins over the request's. */
type CallOptions = { url?: string; token?: string };

export interface ConvexAuthNextjsConfig {
  /** The deployment's `.convex.cloud` URL. */
  convexUrl: string;
  /** The app's `refreshSession` mutation (or its name). */
  refreshSession: RefreshSessionFn;
  /** The app's `isAuthenticated` query (or its name): asked only by `isAuthenticatedNextjs({ askDeployment: true })`. */
  isAuthenticated: FunctionReference<"query", "public"> | string;
  /** `secure` defaults to `NODE_ENV === "production"`, as in 2.0.0. */
  cookieOptions?: Partial<AuthCookieOptions>;
  /** The deployment's JWKS inline (ours): verification with no network at all. */
  jwks?: string;
  /** Log each step (ours). */
  verbose?: boolean;
  /** Ours, opt-in: refreshes coordinated across server instances (the same store as the routes'). */
  refreshStore?: RefreshStore;
}

/** What the proxy's handler is given besides the request. */
export interface ConvexAuthNextjsProxyCtx {
  /** Verified locally: no call to the deployment. */
  isAuthenticated: () => Promise<boolean>;
  /** The verified JWT, or `null`. */
  getToken: () => Promise<string | null>;
  /** The verified identity (ours): `sessionId` = `sub`, `userId: null` (v2 tokens carry none). */
  getIdentity: () => Promise<VerifiedToken | null>;
}

export type ConvexAuthNextjsProxyHandler = (
  request: NextRequest,
  ctx: ConvexAuthNextjsProxyCtx,
) => Promise<NextResponse | Response | undefined | void> | NextResponse | Response | undefined | void;

/** Redirects from the proxy to `path` (on the request's origin). */
export function nextjsProxyRedirect(request: NextRequest, path: string): NextResponse {
  return NextResponse.redirect(new URL(path, request.url));
}

const header = (request: Request, name: string) => request.headers.get(name) ?? undefined;

export function setupConvexAuthNextjs(config: ConvexAuthNextjsConfig) {
  const secure = config.cookieOptions?.secure ?? (typeof process !== "undefined" && process.env.NODE_ENV === "production");
  const options = checkedOptions({ ...config.cookieOptions, secure });
  const refreshPath = nameOf(config.refreshSession);
  const isAuthenticatedPath = nameOf(config.isAuthenticated);
  let verifier: EdgeVerifier | undefined;
  // One verifier per setup and isolate: its cache makes a repeat check of a token nearly free.
  const verifierOf = () => (verifier ??= withJsCache(createVerifier({ convexUrl: config.convexUrl, ...(config.jwks ? { jwks: config.jwks } : {}) })));
  const verified = async (token: string | null | undefined): Promise<VerifiedToken | null> => {
    if (!token) return null;
    try {
      return await verifierOf().verify(token);
    } catch {
      return null;
    }
  };

  function convexAuthNextjsProxy(handler?: ConvexAuthNextjsProxyHandler) {
    return async (request: NextRequest): Promise<Response> => {
      let { jwt, refreshToken } = sessionCookies(request);
      let setCookie: string[] = [];
      const host = header(request, "host") ?? new URL(request.url).host;
      const cross = nextjsPageIsCrossSite(request.method, header(request, "sec-fetch-mode"), header(request, "origin"), host, request.url, header(request, "sec-fetch-site"));
      const step = nextjsPageStep(jwt ?? undefined, refreshToken ?? undefined, cross, Date.now());
      if (step === "refresh" && refreshToken) {
        const answer = await sharedRefresh(config.convexUrl, refreshPath, refreshToken, options, config.refreshStore);
        log(config.verbose, `proxy refresh: ${answer.outcome}${answer.detail ? ` (${answer.detail})` : ""}`);
        // Unavailable: the cookies stay, the page renders with what is still valid.
        if (answer.session !== "kept") {
          setCookie = answer.setCookie;
          ({ jwt, refreshToken } = answer.session ?? { jwt: null, refreshToken: null });
        }
      } else if (step === "clear") {
        // A JWT past use with no refresh token: cleared with the app's attributes.
        setCookie = (ssrRefreshAnswer(undefined, undefined, undefined, options) as Answer).setCookie;
        jwt = null;
      }
      // A cross-site request (a form POST from elsewhere) is served as anonymous, pages included.
      if (cross) [jwt, refreshToken] = [null, null];
      // The page (and the handler) see the cookies as they now are.
      if (setCookie.length || cross) {
        for (const [name, value] of [[AUTH_JWT_COOKIE, jwt], [AUTH_REFRESH_COOKIE, refreshToken]] as const) {
          if (value) request.cookies.set(name, value);
          else request.cookies.delete(name);
        }
      }
      const token = jwt;
      let identity: Promise<VerifiedToken | null> | undefined;
      const getIdentity = () => (identity ??= verified(token));
      const ctx: ConvexAuthNextjsProxyCtx = {
        getIdentity,
        isAuthenticated: async () => (await getIdentity()) !== null,
        getToken: async () => ((await getIdentity()) ? token : null),
      };
      const response = handlerResponse(handler ? await handler(request, ctx) : undefined, request);
      for (const line of setCookie) response.headers.append("set-cookie", line);
      return response;
    };
  }

  /** The current request's JWT, verified locally (signature, issuer, audience, expiry), or `null`.
   *  Never calls the deployment and never refreshes (the proxy does). */
  async function convexAuthNextjsAccessToken(): Promise<string | null> {
    const jwt = (await nextCookies()).get(AUTH_JWT_COOKIE)?.value ?? null;
    return (await verified(jwt)) ? jwt : null;
  }

  /** Per request: what the deployment said of the token (for `askDeployment`). */
  const asked = new WeakMap<object, Promise<boolean>>();

  /**
   * Whether the current request is signed in, checked locally: 0 backend calls. A session revoked
   * on the server still verifies until its JWT's `exp` (60 s by default); `{ askDeployment: true }`
   * asks the app's `isAuthenticated` query once per request instead (a transient failure → false).
   */
  async function isAuthenticatedNextjs({ askDeployment = false }: { askDeployment?: boolean } = {}): Promise<boolean> {
    const token = await convexAuthNextjsAccessToken();
    if (!token || !askDeployment) return token !== null;
    const request = await nextHeaders();
    let answer = asked.get(request);
    if (!answer) {
      answer = callFunction(config.convexUrl, "query", isAuthenticatedPath, {}, token)
        .then((reply) => reply.status === 200 && JSON.parse(reply.body).value === true)
        .catch(() => false);
      asked.set(request, answer);
    }
    return answer;
  }

  /** The options with the deployment and the request's verified JWT (none when signed out). */
  const withToken = async (options?: CallOptions): Promise<CallOptions> => ({
    url: config.convexUrl,
    token: (await convexAuthNextjsAccessToken()) ?? undefined,
    ...options,
  });

  /** `fetchQuery` from `convex/nextjs` with the request's verified JWT (ours, as for 0.x). */
  async function fetchAuthQuery<Q extends AnyQuery>(query: Q, args: Q["_args"] = {} as Q["_args"], options?: CallOptions): Promise<FunctionReturnType<Q>> {
    return fetchQuery(query, args, await withToken(options));
  }
  /** `fetchMutation` with the request's verified JWT. */
  async function fetchAuthMutation<M extends AnyMutation>(mutation: M, args: M["_args"] = {} as M["_args"], options?: CallOptions): Promise<FunctionReturnType<M>> {
    return fetchMutation(mutation, args, await withToken(options));
  }
  /** `fetchAction` with the request's verified JWT. */
  async function fetchAuthAction<A extends AnyAction>(action: A, args: A["_args"] = {} as A["_args"], options?: CallOptions): Promise<FunctionReturnType<A>> {
    return fetchAction(action, args, await withToken(options));
  }
  /** `preloadQuery` with the request's verified JWT (for `usePreloadedQuery`). */
  async function preloadAuthQuery<Q extends AnyQuery>(query: Q, args: Q["_args"] = {} as Q["_args"], options?: CallOptions) {
    return preloadQuery(query, args, await withToken(options));
  }

  /** Wrap the root layout's children: the browser session starts from the JWT this request
   *  verified (no refresh call to load a signed-in page), or from none. `siteUrl` (ours): the
   *  deployment's HTTP actions origin for the session's authed `fetch`, where it cannot be derived. */
  async function ConvexAuthNextjsServerProvider({ children, siteUrl }: { children: ReactNode; siteUrl?: string }) {
    return createElement(ConvexAuthNextjsProvider, {
      convexUrl: config.convexUrl,
      ...(siteUrl ? { siteUrl } : {}),
      // No verified JWT but a refresh cookie (an expired JWT, a refresh the proxy could not make,
      // keys it could not fetch): the browser refreshes to find out — `null` would sign it out.
      initialToken: (await convexAuthNextjsAccessToken()) ?? ((await nextCookies()).has(AUTH_REFRESH_COOKIE) ? undefined : null),
      isAuthenticatedFunctionName: nameOf(config.isAuthenticated),
      children,
    });
  }

  return {
    convexAuthNextjsProxy,
    nextjsProxyRedirect,
    ConvexAuthNextjsServerProvider,
    convexAuthNextjsAccessToken,
    isAuthenticatedNextjs,
    fetchAuthQuery,
    fetchAuthMutation,
    fetchAuthAction,
    preloadAuthQuery,
  };
}
