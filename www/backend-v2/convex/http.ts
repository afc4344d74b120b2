// The site origin's router: `/whoami`, an HTTP action that answers with the caller's identity
// (the demo calls it through the session's authed fetch), with CORS for the app's origin only.
import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
// The 0.x demo deployment's helper (a plain function, no Convex Auth import).
import { corsHeaders } from "../../convex/cors";

const http = httpRouter();

http.route({
  path: "/whoami",
  method: "OPTIONS",
  handler: httpAction(async (_ctx, request) => new Response(null, { status: 204, headers: corsHeaders(request) })),
});

/** The caller's session as the deployment sees it (`sub` is the session), or 401. */
http.route({
  path: "/whoami",
  method: "GET",
  handler: httpAction(async (ctx, request) => {
    const identity = await ctx.auth.getUserIdentity();
    const headers = { "Content-Type": "application/json", ...corsHeaders(request) };
    if (identity === null) return new Response(JSON.stringify({ error: "unauthenticated" }), { status: 401, headers });
    return new Response(JSON.stringify({ sessionId: identity.subject, issuer: identity.issuer }), { status: 200, headers });
  }),
});

export default http;
