import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { auth } from "./auth";

const http = httpRouter();
auth.addHttpRoutes(http);

/**
 * CORS for the app's origin only (SITE_URL, the Next.js app): the browser sends a preflight
 * OPTIONS before a request with an Authorization header, and refuses the answer unless
 * Access-Control-Allow-Origin names the page's origin.
 */
function corsHeaders(request: Request): Record<string, string> {
  const appOrigin = new URL(process.env.SITE_URL ?? "http://localhost:3000").origin;
  if (request.headers.get("origin") !== appOrigin) return {};
  return {
    "Access-Control-Allow-Origin": appOrigin,
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}

http.route({
  path: "/whoami",
  method: "OPTIONS",
  handler: httpAction(async (_ctx, request) => new Response(null, { status: 204, headers: corsHeaders(request) })),
});

/** The caller's identity as the deployment sees it, or 401. */
http.route({
  path: "/whoami",
  method: "GET",
  handler: httpAction(async (ctx, request) => {
    const identity = await ctx.auth.getUserIdentity();
    const headers = { "Content-Type": "application/json", ...corsHeaders(request) };
    if (identity === null) {
      return new Response(JSON.stringify({ error: "unauthenticated" }), { status: 401, headers });
    }
    const [userId, sessionId] = identity.subject.split("|");
    return new Response(
      JSON.stringify({ userId, sessionId, subject: identity.subject, issuer: identity.issuer }),
      { status: 200, headers },
    );
  }),
});

export default http;
