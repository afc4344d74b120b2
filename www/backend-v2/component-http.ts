// Components' HTTP routes, which convex-test does not serve (its `fetch` routes the app's own
// router only): a request under a component's `httpPrefix` goes to that component's published
// router (its compiled code, unmodified), and the functions it calls run inside the component.
// Mounted here: the GitHub OAuth component's callback, `/oauth/github/callback`.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getFunctionName, type HttpRouter } from "convex/server";
import { packageDir } from "./modules";
import type { Deployment } from "./deployment";

/** httpPrefix → the component's mount name and its router module (under @convex-dev/auth/dist). */
const routes: Record<string, { component: string; router: string }> = {
  "/oauth/github": { component: "authGithub", router: "components/github/http.js" },
};

type Handler = (ctx: unknown, request: Request) => Promise<Response>;

/** The component route for `path`, or null when no component serves it. */
export function componentRoute(path: string): { prefix: string; component: string; router: string } | null {
  const prefix = Object.keys(routes).find((p) => path.startsWith(`${p}/`));
  return prefix ? { prefix, ...routes[prefix] } : null;
}

export async function fetchComponentRoute(deployment: Deployment, url: URL, init: RequestInit): Promise<Response> {
  const route = componentRoute(url.pathname)!;
  const module = await import(pathToFileURL(join(packageDir("@convex-dev/auth"), "dist", route.router)).href);
  const router = module.default as HttpRouter;
  const found = router.lookup(url.pathname.slice(route.prefix.length), (init.method ?? "GET") as "GET");
  if (!found) return new Response(`No HttpAction routed for ${url.pathname}`, { status: 404 });
  // The component's references name its own functions ("provider:createTicket"): run them there.
  const call = (kind: "query" | "mutation" | "action") => (fn: never, args: Record<string, unknown>) =>
    deployment.callInComponent(kind, route.component, getFunctionName(fn), args);
  const ctx = { runQuery: call("query"), runMutation: call("mutation"), runAction: call("action") };
  const handler = (found[0] as unknown as { _handler: Handler })._handler;
  return handler(ctx, new Request(url, init));
}
