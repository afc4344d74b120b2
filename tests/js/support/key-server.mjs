// A local JWKS server for tests: counts requests and has a fault switch (answer normally, 503,
// hang past the client's timeout, garbage, or a redirect). Serves on a free loopback port.
import { createServer } from "node:http";

export async function startKeyServer(initialJwks) {
  const state = { jwks: initialJwks, mode: "ok", requests: 0, cacheControl: "public, max-age=15, stale-while-revalidate=15, stale-if-error=86400" };
  const hanging = new Set();
  const server = createServer((req, res) => {
    state.requests++;
    if (!req.url.startsWith("/.well-known/jwks.json")) return res.writeHead(404).end("not found");
    if (state.mode === "hang") return hanging.add(res);
    if (state.mode === "503") return res.writeHead(503).end("unavailable");
    if (state.mode === "redirect") return res.writeHead(307, { location: "http://127.0.0.1:1/elsewhere" }).end();
    if (state.mode === "garbage") return res.writeHead(200, { "content-type": "application/json" }).end("<html>");
    res.writeHead(200, { "content-type": "application/json", "cache-control": state.cacheControl }).end(state.jwks);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
  return {
    url,
    state,
    close() {
      for (const res of hanging) res.destroy();
      server.close();
    },
  };
}

/** Test-only fake clock: the package reads time through Date.now(); shift it by `seconds`. */
export function shiftClock(seconds) {
  const real = Date.now.bind(Date);
  const offset = seconds * 1000;
  Date.now = () => real() + offset;
  return () => { Date.now = real; };
}
