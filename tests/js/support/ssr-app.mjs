// A Convex Auth 2 app's SSR routes: the `setupConvexAuthServer` handlers (WHATWG Request →
// Response) of the official 2.0.0 package or of ours (`convex-auth-wasm/ssr`, as installed from
// the packed tarball) mounted on a node:http server, pointed at a local Convex Auth 2
// deployment. Test-only: for what the doctor makes of an app's routes (each misconfiguration made
// the way an app would make it) and for the routes' own tests, ours beside the official ones.
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { backendV2 } from "./backend-v2.mjs";
import { importInScratch } from "./package.mjs";

const official = join(backendV2, "node_modules", "@convex-dev", "auth", "dist", "ssr", "index.js");
const convexServer = join(backendV2, "node_modules", "convex", "dist", "esm", "server", "index.js");
const { anyApi } = await import(convexServer);
/** Each implementation's `setupConvexAuthServer`, loaded when first asked for. */
const implementations = {
  official: async () => (await import(official)).setupConvexAuthServer,
  ours: async () => (await importInScratch("ssr-app-entry.mjs", 'export * from "convex-auth-wasm/ssr";\n')).setupConvexAuthServer,
};

/** The paths the official Next.js client posts to, and which handler serves each. */
const ROUTES = { "/auth/refresh": "refreshHandler", "/auth/signout": "signOutHandler", "/auth/signin": "convexProxyHandler" };

/** A self-signed certificate for `localhost` (openssl), for an https app. */
export function localhostCertificate() {
  const dir = mkdtempSync(join(tmpdir(), "ssr-app-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert], { stdio: "ignore" });
  return { key: readFileSync(key), cert: readFileSync(cert), certFile: cert };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

/** A GET for the app's static page files (`pages`: a directory; "/" is its index.html). */
function servePage(pages, pathname, res) {
  const file = join(pages, pathname === "/" ? "index.html" : pathname.slice(1));
  let body;
  try {
    body = readFileSync(file);
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
}

/** Starts the app. `implementation`: "official" or "ours"; `routes`: which of ROUTES to mount;
 *  `pages`: a directory whose files it serves on GET (a page bundle);
 *  `hostSeen`: the `Host` the handlers see (what a proxy that rewrites it forwards);
 *  `allowOwnOrigin`: list the app's origin in `allowedOrigins`; `tls`: serve https with this
 *  certificate. A handler that throws is answered 500, as a framework would. */
export async function startSsrApp(convexUrl, { implementation = "official", routes = Object.keys(ROUTES), cookieOptions = { secure: false }, allowOwnOrigin, hostSeen, tls, pages, port = 0, hostname } = {}) {
  const setupConvexAuthServer = await implementations[implementation]();
  // The handlers read this array on each request; the app's own origin joins it once it listens.
  const allowedOrigins = [];
  const auth = setupConvexAuthServer({
    convexUrl,
    refreshSession: anyApi.auth.refreshSession,
    signOut: anyApi.auth.signOut,
    signIn: [
      anyApi.auth.signInWithUsernamePassword,
      anyApi.auth.signUpWithUsernamePassword,
      anyApi.auth.signInWithEmailPassword,
      anyApi.auth.completeSignUpWithEmailPassword,
      anyApi.auth.completePasswordRecovery,
      anyApi.auth.finishSignUpWithUsernamePasskey,
      anyApi.auth.finishSignInWithUsernamePasskey,
      anyApi.auth.completeSignInWithGithub,
    ],
    cookieOptions,
    allowedOrigins,
  });
  const scheme = tls ? "https" : "http";
  const listener = async (req, res) => {
    const url = new URL(req.url, `${scheme}://${req.headers.host}`);
    const handler = routes.includes(url.pathname) && req.method === "POST" ? auth[ROUTES[url.pathname]] : null;
    if (!handler && pages && req.method === "GET") return servePage(pages, url.pathname, res);
    if (!handler) {
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>404</h1>");
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    if (hostSeen) headers.set("host", hostSeen);
    const response = await handler(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) })).catch(
      (error) => new Response(`handler threw: ${error?.message}`, { status: 500 }),
    );
    const out = {};
    response.headers.forEach((value, name) => name !== "set-cookie" && (out[name] = value));
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const host = hostname ?? (tls ? "localhost" : "127.0.0.1");
  if (allowOwnOrigin) allowedOrigins.push(`${host}:${server.address().port}`);
  return { origin: `${scheme}://${host}:${server.address().port}`, stop: () => new Promise((ok) => server.close(ok)) };
}
