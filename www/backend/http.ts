// Small node:http helpers for a local deployment's two origins (the 0.x and the Convex Auth 2 one).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { writeFileSync } from "node:fs";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const host = "127.0.0.1";

/** Binds `port` (0: any free one) on loopback; keeps the sockets so `close` can end them. The
 *  URL names `urlHost` (another loopback name is another site for the browser). */
export async function listen(handler: Handler, port: number, urlHost = host) {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(port, host, ok));
  const url = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
  const close = () => {
    for (const s of sockets) s.destroy();
    server.close();
  };
  return { server, url, close };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
}

/** A fetch Response's headers for node:http, each `Set-Cookie` kept apart. */
export function nodeHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}

/** Announces the two origins (in READY_FILE when set, for tests) and closes them on SIGTERM/SIGINT. */
export function serveUntilStopped(
  cloud: { url: string; close(): void },
  site: { url: string; close(): void },
  jwks: string,
  banner: string,
) {
  const readyFile = process.env.READY_FILE;
  if (readyFile) writeFileSync(readyFile, JSON.stringify({ cloudUrl: cloud.url, siteUrl: site.url, jwks }));
  console.log(banner);
  const stop = () => {
    cloud.close();
    site.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
