// Next.js middleware benchmark: a proxy.ts guarding a page, under bounded load on loopback —
// convex-auth-wasm/nextjs/server (local verification) against @convex-dev/auth/nextjs/server
// (`isAuthenticated()` asks the deployment), in the same run, one build (tests/js/fixtures/
// next-interop), the local backend counting calls. Prints a Markdown table. Run: make bench
import autocannon from "autocannon";
import { buildFixture, startBuilt } from "../tests/js/support/next.mjs";
import { startBackend } from "../tests/js/support/backend.mjs";
import { freePort } from "../tests/js/support/ports.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const port = await freePort();
const backend = await startBackend({ appUrl: `http://127.0.0.1:${port}` });
const { app } = buildFixture("next-interop");
const controls = async (change) =>
  (await fetch(`${backend.cloudUrl}/__test/controls`, change ? { method: "POST", body: JSON.stringify(change) } : {})).json();

async function measure(which) {
  const server = await startBuilt(app, { CONVEX_URL: backend.cloudUrl, CONVEX_SITE_URL: backend.siteUrl, AUTH_MIDDLEWARE: which }, port);
  try {
    const res = await fetch(`${server.url}/api/auth`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({
        action: "auth:signIn",
        args: { provider: "password", params: { email: `bench-${which}-${Date.now()}@example.com`, password: "correct horse battery", flow: "signUp" } },
      }),
    });
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const headers = { cookie, accept: "text/html" };
    for (let i = 0; i < 50; i++) if ((await fetch(`${server.url}/protected`, { headers })).status !== 200) throw new Error(`${which}: not authorized`);
    await controls({ functionCalls: {} });
    const result = await autocannon({ url: `${server.url}/protected`, headers, connections: 10, duration: SECONDS });
    const calls = Object.values((await controls()).functionCalls).reduce((a, b) => a + b, 0);
    if (result.non2xx) throw new Error(`${which}: ${result.non2xx} non-2xx answers`);
    return { rps: result.requests.average, p99: result.latency.p99, perRequest: calls / result.requests.total };
  } finally {
    await server.stop();
  }
}

const official = await measure("official");
const ours = await measure("wasm");
backend.stop();
const row = (name, r) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p99.toFixed(0)} ms | ${r.perRequest.toFixed(2)} |`;
console.log(`\nproxy.ts guarding a page: ${SECONDS} s per run, 10 connections, loopback, next start (Node ${process.version})\n`);
console.log("| middleware | requests/s | p99 latency | backend calls per request |");
console.log("|---|---|---|---|");
console.log(row("`@convex-dev/auth/nextjs/server` + `isAuthenticated()`", official));
console.log(row("`convex-auth-wasm/nextjs/server` + `isAuthenticated()`", ours));
console.log(`\nratio (ours / official): ${(ours.rps / official.rps).toFixed(2)}× requests/s`);
