// Next 16 proxy (Node runtime). The official Convex Auth Next.js middleware serves /api/auth and
// keeps the httpOnly cookies fresh (cookie mode); convex-auth-wasm's EdgeVerifier protects
// /dashboard locally — no network round trip per request.
import { convexAuthNextjsMiddleware } from "@convex-dev/auth/nextjs/server";
import { NextResponse } from "next/server";
import { createVerifier, type ConvexAuthError } from "convex-auth-wasm/edge";
import { deploymentConfig } from "./lib/config";

const { convexUrl, siteUrl } = deploymentConfig();

const verifier = createVerifier({ siteUrl, ...(process.env.JWKS ? { jwks: process.env.JWKS } : {}) });

export const proxy = convexAuthNextjsMiddleware(
  async (request) => {
    if (!request.nextUrl.pathname.startsWith("/dashboard")) return;
    try {
      const identity = await verifier.verifyRequest(request);
      if (identity) return;
      return NextResponse.redirect(new URL("/?signin=required", request.url));
    } catch (e) {
      const code = (e as ConvexAuthError).code ?? "ERR_UNKNOWN";
      const url = new URL("/", request.url);
      url.searchParams.set("rejected", code);
      return NextResponse.redirect(url);
    }
  },
  {
    convexUrl,
    // Pages on localStorage (/local…, /official) exchange a magic link's ?code= in the browser.
    shouldHandleCode: (request) => !/^\/(local|official)/.test(request.nextUrl.pathname),
  },
);

export const config = { matcher: ["/((?!.*\\..*|_next).*)", "/", "/(api|trpc)(.*)"] };
