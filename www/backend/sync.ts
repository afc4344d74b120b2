// The Convex WebSocket sync protocol on the cloud origin (`/api/<version>/sync`), as the `convex`
// client speaks it (see shared/SYNC-PROTOCOL.md): Connect, Authenticate (the JWT verified against
// the deployment's JWKS; the identity version bumped; AuthError + close on failure),
// ModifyQuerySet, chained Transitions, subscribed queries re-run after every commit, Mutation
// (read-your-writes) and Action responses, Ping. Messages of one socket are handled strictly in
// order. Counters for tests: Authenticate messages per socket.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { Identity, Kind } from "./deployment";

export type Verify = (token: string) => Promise<{ identity: Identity; exp: number }>;
export type Run = (kind: Kind, path: string, args: Record<string, unknown>, identity: Identity | null) => Promise<unknown>;

type Query = { udfPath: string; args: Record<string, unknown>; lastJson: string | null };
type Version = { querySet: number; identity: number; ts: bigint };

const AUTH_ERROR =
  "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.";

/** `ts` on the wire: 8 bytes little-endian, standard base64. */
function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}

/** Canonical udf paths: `.js` stripped, `:default` when there is no export name. */
function canonical(path: string): string {
  const stripped = path.replace(/\.js(?=:|$)/, "");
  return stripped.includes(":") ? stripped : `${stripped}:default`;
}

let lastTs = 0n;
/** Wall-clock nanoseconds, strictly increasing (clients' mutations resolve across restarts). */
function nextTs(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastTs = now > lastTs ? now : lastTs + 1n;
  return lastTs;
}

const encode = (value: unknown): JSONValue => convexToJson((value ?? null) as Value);
const decodeArgs = (args: unknown): Record<string, unknown> =>
  (Array.isArray(args) ? jsonToConvex(args[0] as JSONValue) : {}) as Record<string, unknown>;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

class SyncSession {
  private queue: Promise<void> = Promise.resolve();
  private queries = new Map<number, Query>();
  private removed: number[] = [];
  private identity: Identity | null = null;
  private exp = Infinity;
  private lastSent: Version = { querySet: 0, identity: 0, ts: 0n };
  private pending: Omit<Version, "ts"> = { querySet: 0, identity: 0 };
  private dirty = new Set<number>();
  private transitioning = false;
  private again = false;
  private minTs = 0n;
  private ping: NodeJS.Timeout;
  private closed = false;

  constructor(
    private socket: WebSocket,
    private verify: Verify,
    private run: Run,
    private onCommit: () => void,
    private onAuthenticate: () => void,
  ) {
    socket.on("message", (data) => {
      this.queue = this.queue.then(() => this.handle(String(data))).catch((e) => this.fatal(e));
    });
    socket.on("close", () => this.close());
    this.ping = setInterval(() => this.keepAlive(), 15_000);
  }

  /** A Ping: the client reconnects after 60 s without a message. */
  keepAlive() {
    this.send({ type: "Ping" });
  }

  /** Every subscribed query is re-run (a commit happened somewhere). */
  invalidate() {
    for (const id of this.queries.keys()) this.dirty.add(id);
    this.schedule();
  }

  close() {
    this.closed = true;
    clearInterval(this.ping);
  }

  private send(value: unknown) {
    if (!this.closed) this.socket.send(JSON.stringify(value));
  }

  private fatal(error: unknown) {
    console.error("sync:", error);
    this.socket.close(1011, "internal error");
  }

  private authError(baseVersion: number, attempted: boolean) {
    this.send({ type: "AuthError", error: AUTH_ERROR, baseVersion, authUpdateAttempted: attempted });
    this.closed = true;
    this.socket.close();
  }

  /** An accepted identity that has since expired ends the socket (the client re-authenticates). */
  private expired(): boolean {
    if (this.identity === null || Date.now() < this.exp * 1000) return false;
    this.authError(this.pending.identity, false);
    return true;
  }

  private async handle(text: string) {
    if (this.closed) return;
    const msg = JSON.parse(text);
    switch (msg.type) {
      case "Connect":
      case "Event":
        return;
      case "Authenticate":
        return this.authenticate(msg);
      case "ModifyQuerySet":
        for (const m of msg.modifications) {
          if (m.type === "Add") {
            this.queries.set(m.queryId, { udfPath: canonical(m.udfPath), args: decodeArgs(m.args), lastJson: null });
            this.dirty.add(m.queryId);
          } else if (m.type === "Remove") {
            this.queries.delete(m.queryId);
            this.dirty.delete(m.queryId);
            this.removed.push(m.queryId);
          }
        }
        this.pending.querySet = msg.newVersion;
        return this.schedule();
      case "Mutation":
        return this.mutation(msg);
      case "Action":
        return void this.action(msg); // actions run concurrently
      default:
        return; // unknown messages are ignored
    }
  }

  private async authenticate(msg: { baseVersion: number; tokenType: string; value?: string }) {
    this.onAuthenticate();
    if (msg.tokenType === "None") {
      this.identity = null;
      this.exp = Infinity;
    } else {
      try {
        const { identity, exp } = await this.verify(String(msg.value));
        this.identity = identity;
        this.exp = exp;
      } catch {
        return this.authError(msg.baseVersion, true);
      }
    }
    this.pending.identity = msg.baseVersion + 1;
    this.invalidate();
  }

  private async mutation(msg: { requestId: number; udfPath: string; args: unknown }) {
    if (this.expired()) return;
    try {
      const result = await this.run("mutation", canonical(msg.udfPath), decodeArgs(msg.args), this.identity);
      const ts = nextTs();
      this.send({ type: "MutationResponse", requestId: msg.requestId, success: true, result: encode(result), ts: encodeTs(ts), logLines: [] });
      this.minTs = ts;
      this.onCommit();
      this.schedule(true);
    } catch (e) {
      this.send({ type: "MutationResponse", requestId: msg.requestId, success: false, result: message(e), logLines: [] });
    }
  }

  private async action(msg: { requestId: number; udfPath: string; args: unknown }) {
    if (this.expired()) return;
    try {
      const result = await this.run("action", canonical(msg.udfPath), decodeArgs(msg.args), this.identity);
      this.send({ type: "ActionResponse", requestId: msg.requestId, success: true, result: encode(result), logLines: [] });
      this.onCommit();
    } catch (e) {
      this.send({ type: "ActionResponse", requestId: msg.requestId, success: false, result: message(e), logLines: [] });
    }
  }

  /** One Transition at a time; `force`: even with nothing changed (a mutation awaits its ts). */
  private schedule(force = false) {
    if (this.transitioning) {
      this.again = true;
      return;
    }
    this.transitioning = true;
    void this.transition(force).finally(() => {
      this.transitioning = false;
      if (this.again) {
        this.again = false;
        this.schedule(true);
      }
    });
  }

  private async transition(force: boolean) {
    if (this.closed || this.expired()) return;
    const dirty = [...this.dirty];
    this.dirty.clear();
    const modifications: unknown[] = this.removed.splice(0).map((queryId) => ({ type: "QueryRemoved", queryId }));
    for (const id of dirty) {
      const query = this.queries.get(id);
      if (!query) continue;
      try {
        const value = encode(await this.run("query", query.udfPath, query.args, this.identity));
        const json = JSON.stringify(value);
        if (json !== query.lastJson) {
          query.lastJson = json;
          modifications.push({ type: "QueryUpdated", queryId: id, value, logLines: [], journal: null });
        }
      } catch (e) {
        query.lastJson = null;
        modifications.push({ type: "QueryFailed", queryId: id, errorMessage: message(e), logLines: [], journal: null });
      }
    }
    const end: Version = { ...this.pending, ts: nextTs() };
    const changed =
      modifications.length > 0 || end.querySet !== this.lastSent.querySet || end.identity !== this.lastSent.identity;
    if (!changed && !force && end.ts > this.minTs) return;
    const start = this.lastSent;
    this.lastSent = end;
    this.send({
      type: "Transition",
      startVersion: { querySet: start.querySet, identity: start.identity, ts: encodeTs(start.ts) },
      endVersion: { querySet: end.querySet, identity: end.identity, ts: encodeTs(end.ts) },
      modifications,
    });
  }
}

/** Serves the sync protocol on `server`'s upgrade requests; returns the live sessions (tests count on them). */
export function serveSync(
  server: { on(event: "upgrade", cb: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown },
  verify: Verify,
  run: Run,
  accepting: () => boolean = () => true,
) {
  const wss = new WebSocketServer({ noServer: true });
  const sessions = new Map<SyncSession, number>();
  /** Authenticate messages received, per socket in order of connection. */
  const authenticatesPerSocket: number[] = [];
  const commit = () => {
    for (const s of sessions.keys()) s.invalidate();
  };
  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (!accepting() || !/\/api\/[^/]+\/sync$/.test(path)) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const index = authenticatesPerSocket.push(0) - 1;
      const session = new SyncSession(ws, verify, run, commit, () => authenticatesPerSocket[index]++);
      sessions.set(session, index);
      ws.on("close", () => sessions.delete(session));
    });
  });
  return {
    authenticatesPerSocket,
    /** The sockets open now, as indexes into `authenticatesPerSocket`. */
    open: () => [...sessions.values()],
    /** Another process committed (HTTP API mutation, auth action): every socket re-runs its queries. */
    commit,
    /** Pings every socket (tests move the deployment's clock faster than the ping interval). */
    keepAlive() {
      for (const s of sessions.keys()) s.keepAlive();
    },
    /** Drops every socket (a restart, as the client sees it). */
    dropAll() {
      for (const client of wss.clients) client.terminate();
    },
  };
}
