// Page-load benchmark in real headless Chromium: one `next build` (tests/js/fixtures/page-load)
// with four pages that differ only in the provider — the official @convex-dev/auth 0.0.95 one
// and ours, each in localStorage mode and in cookie mode — against the local backend, for a
// signed-in user with a fresh session. One browser context, runs interleaved (after one warm-up
// load of each page); medians and spread. Prints a Markdown table. Run: make bench
import { buildFixture, startBuilt } from "../tests/js/support/next.mjs";
import { startBackend } from "../tests/js/support/backend.mjs";
import { launchChromium } from "../tests/js/support/browser.mjs";
import { freePort } from "../tests/js/support/ports.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
// BENCH_WEBPACK=1 builds with webpack instead of Turbopack (each emits the .wasm as a static asset).
const WEBPACK = process.env.BENCH_WEBPACK === "1";
// BENCH_NETWORK=4g: Chromium's network emulation (40 ms latency, 9 Mbit/s down, 1.5 up) instead of
// bare loopback, where a request that starts late costs its round trips.
// BENCH_COLD=1: every load in a new context (empty HTTP cache; the session carried over), as a
// first visit; otherwise one context throughout (a returning visitor's warm cache).
const COLD = process.env.BENCH_COLD === "1";
const NETWORK = process.env.BENCH_NETWORK === "4g" ? { latency: 40, downloadThroughput: (9e6 / 8), uploadThroughput: (1.5e6 / 8) } : null;
const PAGES = [
  ["`@convex-dev/auth/react`, localStorage", "/official-local"],
  ["`convex-auth-wasm/react`, localStorage", "/ours-local"],
  ["`@convex-dev/auth/nextjs`, cookies", "/official-cookie"],
  ["`convex-auth-wasm/nextjs`, cookies", "/ours-cookie"],
];
const PASSWORD = "correct horse battery";

const port = await freePort();
const backend = await startBackend({ appUrl: `http://127.0.0.1:${port}` });
// The official client provider reads NEXT_PUBLIC_CONVEX_URL, inlined at build time.
const env = { CONVEX_URL: backend.cloudUrl, CONVEX_SITE_URL: backend.siteUrl, NEXT_PUBLIC_CONVEX_URL: backend.cloudUrl };
const { app } = buildFixture("page-load", { env, webpack: WEBPACK, as: WEBPACK ? "page-load-webpack" : "page-load" });
const server = await startBuilt(app, env, port);
const browser = await launchChromium();
const controls = async (change) =>
  (await fetch(`${backend.cloudUrl}/__test/controls`, change ? { method: "POST", body: JSON.stringify(change) } : {})).json();

let page;
try {
  const pageErrors = [];
  /** A page in a new context holding `storageState` (the session's cookies and localStorage). */
  async function openPage(storageState) {
    const context = await browser.newContext(storageState ? { storageState } : {});
    const page = await context.newPage();
    if (NETWORK) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...NETWORK });
    }
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
    return page;
  }
  page = await openPage();
  // Cookie mode: a sign-up through the app's route sets the httpOnly cookies in this context.
  await page.goto(`${server.url}/ours-cookie`);
  const email = `page-load-${Date.now()}@example.com`;
  const signUp = await page.evaluate(async ([email, password]) => {
    const res = await fetch("/api/auth", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "auth:signIn", args: { provider: "password", params: { email, password, flow: "signUp" } } }),
    });
    return res.status;
  }, [email, PASSWORD]);
  if (signUp !== 200) throw new Error(`sign-up through /api/auth: ${signUp}`);
  // localStorage mode: a second session of the same user, stored under the official keys.
  const signIn = await (await fetch(`${backend.cloudUrl}/api/action`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signIn", format: "json", args: { provider: "password", params: { email, password: PASSWORD, flow: "signIn" } } }),
  })).json();
  const { token, refreshToken } = signIn.value.tokens;
  const namespace = backend.cloudUrl.replace(/[^a-zA-Z0-9]/g, "");
  await page.evaluate(([ns, token, refreshToken]) => {
    localStorage.setItem(`__convexAuthJWT_${ns}`, token);
    localStorage.setItem(`__convexAuthRefreshToken_${ns}`, refreshToken);
  }, [namespace, token, refreshToken]);

  /** One load of `path`: ms from navigation start to the first commit and to the user's data. */
  async function load(path) {
    if (COLD) {
      // The session as the last load left it (the official providers rotate it on every load).
      const state = await page.context().storageState();
      await page.context().close();
      page = await openPage(state);
    }
    await page.goto(`${server.url}${path}`);
    const handle = await page
      .waitForFunction(() => window.__bench?.data !== undefined && window.__bench, null, { timeout: 20_000 })
      .catch(async (e) => {
        throw new Error(`${path}: no authenticated result (the page shows "${await page.textContent("body")}"; errors: ${pageErrors.join(" | ")})`, { cause: e });
      });
    const marks = await handle.jsonValue();
    const { bytes, wasm } = await page.evaluate(() => {
      const entries = performance.getEntriesByType("resource").filter((e) => /\.(js|wasm)(\?|$)/.test(new URL(e.name).pathname));
      const wasm = entries.find((e) => e.name.includes(".wasm"));
      return { bytes: entries.reduce((sum, e) => sum + e.encodedBodySize, 0), wasm: wasm && [wasm.startTime, wasm.responseEnd] };
    });
    return { ...marks, bytes, wasm };
  }
  const signIns = async () => (await controls()).functionCalls["auth:signIn"] ?? 0;
  /** The count once it has not moved for 300 ms (a provider may refresh after its first result). */
  async function settledSignIns() {
    for (let last = await signIns(), still = 0; ; ) {
      await new Promise((ok) => setTimeout(ok, 100));
      const now = await signIns();
      if (now === last && ++still === 3) return now;
      if (now !== last) [last, still] = [now, 0];
    }
  }
  /** A load, and the refresh calls (auth:signIn) the deployment saw for it. */
  async function measured(path) {
    const before = await settledSignIns();
    const result = await load(path);
    return { ...result, refreshes: (await settledSignIns()) - before };
  }

  for (const [, path] of PAGES) await load(path); // warm-up: compiled, cached, connections open
  const runs = Object.fromEntries(PAGES.map(([, path]) => [path, []]));
  // Each round loads every page once, in an order that rotates (no page always follows another).
  for (let i = 0; i < RUNS; i++) {
    for (let j = 0; j < PAGES.length; j++) {
      const [, path] = PAGES[(i + j) % PAGES.length];
      runs[path].push(await measured(path));
    }
  }
  const total = (path) => runs[path].reduce((sum, r) => sum + r.refreshes, 0);
  for (const path of ["/ours-local", "/ours-cookie"]) {
    if (total(path) !== 0) throw new Error(`${path}: ${total(path)} refresh calls in ${RUNS} loads of a fresh session (expected none)`);
  }

  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const spread = (list) => `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)}`;
  console.log(`\nPage load in headless Chromium ${browser.version()}, next start (Next.js 16, ${WEBPACK ? "webpack" : "Turbopack"}), ${NETWORK ? "emulated 4G (40 ms, 9 Mbit/s)" : "loopback"}; ${RUNS} rounds (each page once per round, in rotating order), ${COLD ? "a new context (cold cache) per load" : "one context"}, a fresh signed-in session; ms from navigation start (median, min–max)\n`);
  console.log("| provider | first React render | Convex client authenticated | first authenticated query result | JS + wasm (KB on the wire) | `.wasm` requested → received | refresh calls per load |");
  console.log("|---|---|---|---|---|---|---|");
  for (const [name, path] of PAGES) {
    const r = runs[path];
    const render = r.map((x) => x.render);
    const data = r.map((x) => x.data);
    const auth = r.map((x) => x.auth);
    const wasm = r[0].wasm ? `${median(r.map((x) => x.wasm[0])).toFixed(0)} → ${median(r.map((x) => x.wasm[1])).toFixed(0)}` : "—";
    console.log(`| ${name} | ${median(render).toFixed(0)} (${spread(render)}) | ${median(auth).toFixed(0)} (${spread(auth)}) | ${median(data).toFixed(0)} (${spread(data)}) | ${(median(r.map((x) => x.bytes)) / 1024).toFixed(0)} | ${wasm} | ${(total(path) / RUNS).toFixed(1)} |`);
  }
  // Ours against the official provider of the same mode, round by round (the machine's drift
  // cancels out of each pair): the median of the differences.
  console.log("\n| mode | first render, ours − official | first authenticated result, ours − official |\n|---|---|---|");
  for (const [mode, official, ours] of [["localStorage", "/official-local", "/ours-local"], ["cookies", "/official-cookie", "/ours-cookie"]]) {
    const paired = (key) => median(runs[ours].map((r, i) => r[key] - runs[official][i][key]));
    const signed = (ms) => `${ms > 0 ? "+" : ""}${ms.toFixed(0)} ms`;
    console.log(`| ${mode} | ${signed(paired("render"))} | ${signed(paired("data"))} |`);
  }
} finally {
  await page?.context().close();
  await browser.close();
  await server.stop();
  backend.stop();
}
