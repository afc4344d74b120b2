// A local Convex deployment for the demo and the end-to-end tests, on two loopback origins:
//   cloud — POST /api/query|mutation|action, the Convex HTTP API shapes and status codes
//           (200 / 560 / 401 InvalidAuthHeader), Bearer JWTs verified against the deployment's
//           own JWKS (issuer, audience, expiry) before a function sees the identity;
//   site  — the http router: OIDC discovery, JWKS, Convex Auth routes, HTTP actions.
//           and the WebSocket sync protocol at /api/<version>/sync (sync.ts);
// It differs from a real deployment: in-memory data (lost on exit), no dashboard, functions
// serialised, every subscribed query re-run after every commit. See README.
//
// Env: CLOUD_PORT (3210), SITE_PORT (3211) — 0 picks free ports; SITE_URL (the app, for CORS and
// redirects; http://localhost:3000); JWT_PRIVATE_KEY + JWKS (generated when absent);
// SITE_HOST (the site URL's host name, 127.0.0.1; `localhost` makes it another site than the app
// for the browser, where the OAuth routes' Secure cookies are kept over http);
// AUTH_JWT_LIFETIME_SECONDS; READY_FILE (writes {cloudUrl, siteUrl, jwks} when listening);
// BACKEND_TEST_CONTROLS=1 enables /__test/* on the cloud origin (fault switch, counters) and
// TEST_ISSUER_OVERRIDE (the issuer the deployment names, to test the doctor against a bad one).
import type { IncomingMessage } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import { deploymentKeys } from "./keys";
import { createDeployment, type Identity, type Kind } from "./deployment";
import { serveSync } from "./sync";
import { installShiftedDate } from "./clock";
import { listen, nodeHeaders, readBody, sendJson, serveUntilStopped, type Handler } from "./http";

const env = process.env;

/** Fault switch, counters and a clock offset, for tests only (BACKEND_TEST_CONTROLS=1). */
const controls = {
  /** ok; 503: every HTTP API call answers 503; refuse: connections are dropped; slow: HTTP API
   *  answers come after `slowMs`. */
  mode: "ok" as "ok" | "503" | "refuse" | "slow",
  slowMs: 12_000,
  /** Calls per function path (HTTP API and WebSocket), since the last reset. */
  functionCalls: {} as Record<string, number>,
  refreshCalls: 0,
  signInCalls: 0,
  clockOffsetMs: 0,
  /** The refresh tokens redeemed since the last reset (with refreshCalls). */
  refreshLog: [] as string[],
  /** Tokens issued before this instant (ms) are refused, as after a key rotation. */
  rejectIssuedBeforeMs: 0,
  /** ok; 503: refresh calls alone (auth:signIn with a refresh token) answer 503, counted in
   *  `refusedRefreshCalls`; everything else works. */
  refreshMode: "ok" as "ok" | "503",
  refusedRefreshCalls: 0,
};
// Tests drive time: the deployment's clock (token iat/exp, refresh-token reuse windows) runs ahead
// of the real one by `clockOffsetMs`, moved with POST /__test/controls {advanceMs}.
if (env.BACKEND_TEST_CONTROLS === "1") installShiftedDate(() => controls.clockOffsetMs);

/** Counts `auth:signIn` calls, and refreshes among them (HTTP API and WebSocket alike). */
function countSignIn(args: Record<string, unknown>) {
  controls.signInCalls++;
  const refreshToken = (args as { refreshToken?: string }).refreshToken;
  if (refreshToken !== undefined) {
    controls.refreshCalls++;
    controls.refreshLog.push(refreshToken);
  }
}

async function main() {
  // Bind first (ports may be 0), then configure the functions' environment, then serve.
  const pending: Handler[] = [];
  const cloud = await listen((req, res) => pending[0](req, res), Number(env.CLOUD_PORT ?? 3210));
  const site = await listen((req, res) => pending[1](req, res), Number(env.SITE_PORT ?? 3211), env.SITE_HOST);
  const { privateKey, jwks } = await deploymentKeys(env);
  Object.assign(env, {
    JWT_PRIVATE_KEY: privateKey,
    JWKS: jwks,
    // Test-only: a deployment whose issuer is misconfigured (the doctor's tests).
    CONVEX_SITE_URL: (env.BACKEND_TEST_CONTROLS === "1" && env.TEST_ISSUER_OVERRIDE) || site.url,
    CONVEX_CLOUD_URL: cloud.url,
    SITE_URL: env.SITE_URL ?? "http://localhost:3000",
  });
  const deployment = createDeployment();
  const keySet = createLocalJWKSet(JSON.parse(jwks));

  /** Verifies a JWT as the deployment does (its own JWKS, issuer, audience, expiry). */
  async function verify(token: string): Promise<{ identity: Identity; exp: number }> {
    const { payload } = await jwtVerify(token, keySet, { issuer: site.url, audience: "convex", algorithms: ["RS256"] });
    // Test control: tokens issued before this instant are refused (a rotated key, as clients see it).
    if ((payload.iat ?? 0) * 1000 < controls.rejectIssuedBeforeMs) throw new Error("the signing key was rotated");
    const subject = String(payload.sub);
    const identity = { ...payload, subject, issuer: site.url, tokenIdentifier: `${site.url}|${subject}` };
    return { identity, exp: Number(payload.exp) };
  }

  /** The identity of a Bearer JWT, null without one; throws for an invalid one. */
  async function identityOf(req: IncomingMessage): Promise<Identity | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    return (await verify(header.replace(/^Bearer\s+/i, ""))).identity;
  }

  const run = async (kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) => {
    if (path === "auth:signIn") countSignIn(args);
    controls.functionCalls[path] = (controls.functionCalls[path] ?? 0) + 1;
    try {
      return await deployment.call(kind, path, args, identity);
    } finally {
      if (kind !== "query") sync.commit(); // subscribed queries re-run after every commit
    }
  };
  const sync = serveSync(cloud.server, verify, run, () => controls.mode === "ok");

  const cors = (req: IncomingMessage) => ({
    "access-control-allow-origin": req.headers.origin ?? "*",
    "access-control-allow-headers": "authorization, content-type, convex-client",
    "access-control-allow-methods": "POST, OPTIONS",
    vary: "origin",
  });

  pending[0] = async (req, res) => {
    const url = new URL(req.url ?? "/", cloud.url);
    if (env.BACKEND_TEST_CONTROLS === "1" && url.pathname.startsWith("/__test/")) {
      if (url.pathname === "/__test/mail") return sendJson(res, 200, (globalThis as { __demoMailbox?: unknown[] }).__demoMailbox ?? []);
      if (req.method === "POST") {
        const { advanceMs = 0, dropSockets = false, ...change } = JSON.parse((await readBody(req)).toString() || "{}");
        Object.assign(controls, change);
        controls.clockOffsetMs += advanceMs;
        if (advanceMs > 0) sync.keepAlive(); // the pings that driven time would have brought
        if (dropSockets || controls.mode !== "ok") sync.dropAll();
      }
      return sendJson(res, 200, { ...controls, now: Date.now(), authenticatesPerSocket: sync.authenticatesPerSocket, openSockets: sync.open() });
    }
    if (controls.mode === "refuse") return req.socket.destroy();
    if (req.method === "OPTIONS") return res.writeHead(204, cors(req)).end();
    const kind = url.pathname.match(/^\/api\/(query|mutation|action)$/)?.[1] as Kind | undefined;
    if (req.method !== "POST" || !kind) return sendJson(res, 404, { code: "NotFound", message: url.pathname }, cors(req));
    if (controls.mode === "503") return sendJson(res, 503, { code: "ServiceUnavailable", message: "fault switch" }, cors(req));
    if (controls.mode === "slow") await new Promise((r) => setTimeout(r, controls.slowMs));
    let identity: Identity | null;
    try {
      identity = await identityOf(req);
    } catch (e) {
      return sendJson(res, 401, { code: "InvalidAuthHeader", message: `Could not verify the JWT: ${(e as Error).message}` }, cors(req));
    }
    let request: { path: string; args: unknown; format?: string };
    try {
      request = JSON.parse((await readBody(req)).toString());
    } catch {
      return sendJson(res, 400, { code: "BadJsonBody", message: "the body is not JSON" }, cors(req));
    }
    const args = (request.format === "convex_encoded_json" && Array.isArray(request.args) ? request.args[0] : request.args) ?? {};
    if (controls.refreshMode === "503" && request.path === "auth:signIn" && "refreshToken" in args) {
      controls.refusedRefreshCalls++;
      return sendJson(res, 503, { code: "ServiceUnavailable", message: "refresh fault switch" }, cors(req));
    }
    try {
      const value = await run(kind, request.path, args as Record<string, unknown>, identity);
      sendJson(res, 200, { status: "success", value: value ?? null, logLines: [] }, cors(req));
    } catch (e) {
      const error = e as Error & { data?: unknown };
      sendJson(res, 560, { status: "error", errorMessage: error.message, errorData: error.data, logLines: [] }, cors(req));
    }
  };

  pending[1] = async (req, res) => {
    const payload = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    let identity: Identity | null = null;
    try {
      identity = await identityOf(req);
    } catch {
      identity = null; // an invalid token reaches the action unauthenticated
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
    );
    const init = { method: req.method, headers, body: payload ? new Uint8Array(payload) : undefined };
    const response = await deployment.fetch(req.url ?? "/", init, identity);
    res.writeHead(response.status, nodeHeaders(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };

  serveUntilStopped(
    cloud,
    site,
    jwks,
    `Convex backend (local, in-memory) ready:\n  cloud (functions, HTTP API): ${cloud.url}\n  site  (HTTP actions, JWKS):  ${site.url}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
