// Next 16 proxy (Node runtime): convex-auth-wasm's Convex Auth middleware serves /api/auth and
// keeps the httpOnly cookies fresh (cookie mode), and guards /dashboard with a locally verified
// identity — no network round trip per request.
import { convexAuthNextjsMiddleware, createRouteMatcher, nextjsMiddlewareRedirect } from "convex-auth-wasm/nextjs/server";
import type { ConvexAuthError } from "convex-auth-wasm/edge";
import { deploymentConfig } from "./lib/config";

const isProtected = createRouteMatcher(["/dashboard(.*)"]);

export const proxy = convexAuthNextjsMiddleware(
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

export const config = { matcher: ["/((?!.*\\..*|_next).*)", "/", "/(api|trpc)(.*)"] };
