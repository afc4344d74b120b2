"use client";
// convex-auth-wasm/ssr/nextjs/client: the browser half `ConvexAuthNextjsServerProvider` renders
// (Convex Auth 2, ssr mode): the session engine refreshes through the host's `/auth/refresh`
// (only its `{"tokens":null}` signs out; a 503, a 403 or an HTML page is retried), the sign-in
// methods call through `/auth/signin`, and the session watcher ends a revoked session.
import { ConvexReactClient } from "convex/react";
import { makeFunctionReference } from "convex/server";
import { useMemo, type ReactNode } from "react";
import { ConvexAuthProvider } from "convex-auth-wasm/react";
import type { AmbientSignInClient } from "../../methods/ambient.js";

/** Props of {@link ConvexAuthNextjsProvider} (the official names). */
export interface ConvexAuthNextjsProviderProps {
  client?: ConvexReactClient;
  convexUrl?: string;
  /** The JWT the server verified for this page; `null`: no session; left out: refresh to find out. */
  initialToken?: string | null;
  refreshRoute?: string;
  signOutRoute?: string;
  signInRoute?: string;
  isAuthenticatedFunctionName: string;
  /** Ours: the HTTP actions origin for the session's authed `fetch`, where it cannot be derived. */
  siteUrl?: string;
  /** The methods that finish on page load (default `[oauth()]`). */
  ambientSignIns?: readonly AmbientSignInClient[];
  children: ReactNode;
}

/** The common prefix of the refresh and sign-out routes (`/auth` for the official ones). */
function routePrefix(refreshRoute: string, signOutRoute: string): string {
  const prefix = refreshRoute.replace(/\/refresh$/, "");
  if (prefix === refreshRoute || signOutRoute !== `${prefix}/signout`) {
    throw Object.assign(new Error(`convex-auth-wasm: refreshRoute and signOutRoute must be <prefix>/refresh and <prefix>/signout (got ${refreshRoute}, ${signOutRoute})`), {
      name: "ConvexAuthError",
      code: "ERR_CONFIG_INVALID",
    });
  }
  return prefix;
}

/** Convex Auth 2's Next.js client provider (ssr mode), as `ConvexAuthNextjsServerProvider` renders it. */
export function ConvexAuthNextjsProvider({
  client,
  convexUrl,
  initialToken,
  refreshRoute = "/auth/refresh",
  signOutRoute = "/auth/signout",
  signInRoute = "/auth/signin",
  isAuthenticatedFunctionName,
  siteUrl,
  ambientSignIns,
  children,
}: ConvexAuthNextjsProviderProps) {
  const convex = useMemo(() => client ?? new ConvexReactClient(convexUrl ?? process.env.NEXT_PUBLIC_CONVEX_URL!), [client, convexUrl]);
  const api = useMemo(() => {
    // Only `isAuthenticated` is called from here; the session's own calls go to the routes.
    const isAuthenticated = makeFunctionReference<"query">(isAuthenticatedFunctionName);
    const unused = makeFunctionReference<"mutation">("auth:signOut");
    return { refreshSession: unused, signOut: unused, isAuthenticated };
  }, [isAuthenticatedFunctionName]);
  const ssr = { route: routePrefix(refreshRoute, signOutRoute), signInRoute, token: initialToken };
  const onThisSite = (path: string) => path.startsWith("/") && new URL(path, "http://site.invalid").origin === "http://site.invalid";
  if (!onThisSite(ssr.route) || !onThisSite(signInRoute)) {
    throw Object.assign(new Error("convex-auth-wasm: the auth routes must be paths on this site (\"/auth/…\")"), { name: "ConvexAuthError", code: "ERR_CONFIG_INVALID" });
  }
  return (
    <ConvexAuthProvider client={convex} api={api as never} ssr={ssr} siteUrl={siteUrl} ambientSignIns={ambientSignIns}>
      {children}
    </ConvexAuthProvider>
  );
}
