// Next 16 proxy (Node runtime). Convex Auth 0.x pages: convex-auth-wasm's Convex Auth middleware
// serves /api/auth and keeps the httpOnly cookies fresh (cookie mode), and guards /dashboard with
// a locally verified identity — no network round trip per request. Convex Auth 2's ssr pages
// (/v2/ssr…): its proxy refreshes the session when due and guards /v2/ssr/dashboard the same way;
// its routes (/auth/*) are route handlers.
import type { NextFetchEvent, NextRequest } from "next/server";
import { convexAuthNextjsMiddleware, createRouteMatcher, nextjsMiddlewareRedirect } from "convex-auth-wasm/nextjs/server";
import type { ConvexAuthError } from "convex-auth-wasm/edge";
import { deploymentConfig } from "./lib/config";
import { v2 } from "./lib/auth-v2";

const isProtected = createRouteMatcher(["/dashboard(.*)"]);

const convexAuth0 = convexAuthNextjsMiddleware(
  async (request, { convexAuth }) => {
    if (!isProtected(request)) return;
    try {
      if (await convexAuth.getIdentity()) return;
      return nextjsMiddlewareRedirect(request, "/?signin=required");
    } catch (e) {
      return nextjsMiddlewareRedirect(request, `/?rejected=${(e as ConvexAuthError).code ?? "ERR_UNKNOWN"}`);
    }
  },
  {
    ...deploymentConfig(),
    // Pages on localStorage (/local…, /official) exchange a magic link's ?code= in the browser.
    shouldHandleCode: (request) => !/^\/(local|official)/.test(request.nextUrl.pathname),
  },
);

const convexAuth2 = v2.convexAuthNextjsProxy(async (request, ctx) => {
  if (request.nextUrl.pathname.startsWith("/v2/ssr/dashboard") && !(await ctx.isAuthenticated())) {
    return v2.nextjsProxyRedirect(request, "/v2/ssr");
  }
});

export function proxy(request: NextRequest, event: NextFetchEvent) {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/auth/") || path === "/v2" || path.startsWith("/v2/") && !path.startsWith("/v2/ssr")) return;
  if (path.startsWith("/v2/ssr")) return convexAuth2(request);
  return convexAuth0(request, event);
}

export const config = { matcher: ["/((?!.*\\..*|_next).*)", "/", "/(api|trpc)(.*)"] };
