// The site origin: the app's http router (convex/http.ts), with the caller's identity when the
// request carries a valid Bearer token (an invalid one reaches the action unauthenticated), and
// the components' routes under their httpPrefix (component-http.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHeaders, readBody } from "../backend/http";
import type { Deployment, Identity } from "./deployment";
import type { Verify } from "./verify";
import { componentRoute, fetchComponentRoute } from "./component-http";

export function siteHandler(deployment: Deployment, verify: Verify) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const payload = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    let identity: Identity | null = null;
    const header = req.headers.authorization;
    if (header) identity = await verify(header.replace(/^Bearer\s+/i, "")).then((v) => v.identity, () => null);
    const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    const init = { method: req.method, headers, body: payload ? new Uint8Array(payload) : undefined };
    const url = new URL(req.url ?? "/", "http://site.invalid"); // (the path only: no Host header trusted)
    const response = componentRoute(url.pathname) ? await fetchComponentRoute(deployment, url, init) : await deployment.fetch(req.url ?? "/", init, identity);
    res.writeHead(response.status, nodeHeaders(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
