// Convex Auth 2's Next.js proxy under bounded load on loopback: convex-auth-wasm/ssr/nextjs
// (`ctx.isAuthenticated()` verified locally) against @convex-dev/auth 2.0.0's
// (`isAuthenticated()` asks the deployment), one build (tests/js/fixtures/ssr-nextjs, the
// implementation picked per server start), the same run, the local Convex Auth 2 deployment
// counting calls. Prints a Markdown table. Run: make bench
import autocannon from "autocannon";
import { buildFixture, startBuilt } from "../tests/js/support/next.mjs";
import { startBackendV2 } from "../tests/js/support/backend-v2.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const backend = await startBackendV2();
const { app } = buildFixture("ssr-nextjs");

async function measure(implementation) {
  const server = await startBuilt(app, { CONVEX_URL: backend.cloudUrl, AUTH_IMPL: implementation });
  try {
    // A session signed up through the app's own sign-in proxy (ours serves the routes for both).
    const res = await fetch(`${server.url}/auth/signin?path=/api/mutation`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", format: "convex_encoded_json", args: [{ username: `bench-${implementation}-${Date.now()}`, password: "correct horse battery" }] }),
    });
    if (res.status !== 200) throw new Error(`${implementation}: sign-up ${res.status} ${await res.text()}`);
    const headers = { cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "), accept: "text/html" };
    for (let i = 0; i < 50; i++) {
      const page = await fetch(`${server.url}/guarded`, { headers, redirect: "manual" });
      if (page.status !== 200) throw new Error(`${implementation}: /guarded answered ${page.status}`);
    }
    await backend.controls({ reset: true });
    const result = await autocannon({ url: `${server.url}/guarded`, headers, connections: 10, duration: SECONDS });
    const counts = await backend.controls();
    const calls = Object.values(counts.functionCalls).reduce((a, b) => a + b, 0);
    if (result.non2xx) throw new Error(`${implementation}: ${result.non2xx} non-2xx answers`);
    if (implementation === "ours" && calls !== 0) throw new Error(`ours: ${calls} backend calls under load (expected none)`);
    return { rps: result.requests.average, p99: result.latency.p99, perRequest: calls / result.requests.total };
  } finally {
    await server.stop();
  }
}

try {
  const official = await measure("official");
  const ours = await measure("ours");
  const row = (name, r) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p99.toFixed(0)} ms | ${r.perRequest.toFixed(2)} |`;
  console.log(`\nConvex Auth 2 proxy.ts guarding a page: ${SECONDS} s per run, 10 connections, loopback, next start (Node ${process.version})\n`);
  console.log("| proxy | requests/s | p99 latency | backend calls per request |");
  console.log("|---|---|---|---|");
  console.log(row("`@convex-dev/auth/ssr/nextjs` 2.0.0 + `ctx.isAuthenticated()`", official));
  console.log(row("`convex-auth-wasm/ssr/nextjs` + `ctx.isAuthenticated()`", ours));
  console.log(`\nratio (ours / official): ${(ours.rps / official.rps).toFixed(2)}× requests/s`);
} finally {
  await backend.stop();
}
