// The cloud origin: the Convex HTTP API (POST /api/query|mutation|action: 200 success, 560
// function error, 401 InvalidAuthHeader for a token the deployment refuses), the deployment's
// JWKS at /.well-known/jwks.json, the emails it sent at /__dev/mailbox, and with
// BACKEND_TEST_CONTROLS=1 the controls at /__test/controls. The outage switch covers everything
// here but the controls and the mailbox, the JWKS included.
import type { IncomingMessage, ServerResponse } from "node:http";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { applyChange, controls } from "./controls";
import { readBody, sendJson } from "../backend/http";
import type { Identity, Kind } from "./deployment";
import type { Verify } from "./verify";

type Run = (kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) => Promise<unknown>;
type Sync = { keepAlive(): void; dropAll(): void; authenticatesPerSocket: number[]; open(): number[] };

const cors = (req: IncomingMessage) => ({
  "access-control-allow-origin": req.headers.origin ?? "*",
  "access-control-allow-headers": "authorization, content-type, convex-client",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  vary: "origin",
});

export function cloudHandler(opts: { run: Run; verify: Verify; jwks: unknown; sync: Sync; mailbox: () => Promise<unknown>; appOrigins: string[]; testControls: boolean }) {
  const { run, verify, jwks, sync } = opts;

  async function testControls(req: IncomingMessage, res: ServerResponse) {
    if (req.method === "POST") {
      try {
        const { advanceMs, dropSockets } = applyChange(JSON.parse((await readBody(req)).toString() || "{}"));
        if (advanceMs > 0) sync.keepAlive(); // the pings that driven time would have brought
        if (dropSockets || controls.mode !== "ok") sync.dropAll();
      } catch (e) {
        return sendJson(res, 400, { error: (e as Error).message });
      }
    }
    const state = { ...controls, now: Date.now(), authenticatesPerSocket: sync.authenticatesPerSocket, openSockets: sync.open() };
    sendJson(res, 200, state);
  }

  async function api(req: IncomingMessage, res: ServerResponse, kind: Kind) {
    let identity: Identity | null = null;
    const header = req.headers.authorization;
    if (header) {
      try {
        identity = (await verify(header.replace(/^Bearer\s+/i, ""))).identity;
      } catch (e) {
        const message = `Could not verify the JWT: ${(e as Error).message}`;
        return sendJson(res, 401, { code: "InvalidAuthHeader", message }, cors(req));
      }
    }
    let request: { path: string; args?: unknown; format?: string };
    let args: Record<string, unknown>;
    try {
      request = JSON.parse((await readBody(req)).toString());
      const raw = (Array.isArray(request.args) ? request.args[0] : request.args) ?? {};
      const encoded = request.format === "convex_encoded_json";
      args = (encoded ? jsonToConvex(raw as JSONValue) : raw) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { code: "BadJsonBody", message: "the body is not a Convex HTTP API request" }, cors(req));
    }
    const encode = (v: unknown) => (request.format === "convex_encoded_json" ? convexToJson((v ?? null) as Value) : (v ?? null));
    try {
      const value = await run(kind, request.path, args, identity);
      sendJson(res, 200, { status: "success", value: encode(value), logLines: [] }, cors(req));
    } catch (e) {
      const error = e as Error & { data?: unknown };
      const errorData = error.data === undefined ? undefined : encode(error.data);
      sendJson(res, 560, { status: "error", errorMessage: error.message, errorData, logLines: [] }, cors(req));
    }
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://cloud");
    if (opts.testControls && url.pathname === "/__test/controls") return testControls(req, res);
    // The emails this deployment "sent" (a local deployment: they go nowhere else). They hold
    // live link codes: readable cross-origin by the app's own pages only.
    if (req.method === "GET" && url.pathname === "/__dev/mailbox") {
      const origin = req.headers.origin;
      const allowed: Record<string, string> = origin !== undefined && opts.appOrigins.includes(origin) ? { "access-control-allow-origin": origin, vary: "origin" } : {};
      return sendJson(res, 200, await opts.mailbox(), allowed);
    }
    if (controls.mode === "refuse") return req.socket.destroy();
    if (req.method === "OPTIONS") return res.writeHead(204, cors(req)).end();
    if (controls.mode === "503") return sendJson(res, 503, { code: "ServiceUnavailable", message: "fault switch" }, cors(req));
    if (controls.mode === "slow") await new Promise((r) => setTimeout(r, controls.slowMs));
    if (req.method === "GET" && url.pathname === "/.well-known/jwks.json") {
      return sendJson(res, 200, jwks, { "access-control-allow-origin": "*" });
    }
    const kind = url.pathname.match(/^\/api\/(query|mutation|action)$/)?.[1] as Kind | undefined;
    if (req.method !== "POST" || !kind) return sendJson(res, 404, { code: "NotFound", message: url.pathname }, cors(req));
    return api(req, res, kind);
  };
}
