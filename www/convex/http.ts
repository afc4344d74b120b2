import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { auth } from "./auth";
import { corsHeaders } from "./cors";

const http = httpRouter();
auth.addHttpRoutes(http);

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
