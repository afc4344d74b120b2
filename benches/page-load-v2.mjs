// Convex Auth 2 page load in real headless Chromium: the same React page (ConvexReactClient, the
// username + password hooks, a `users:me` live query) under the official 2.0.0 provider and
// under ours — spa mode (convex-auth-wasm/react with `api`; a session of their own in each page's
// localStorage), and ssr mode (one `next build` of tests/js/fixtures/ssr-nextjs, /live-official
// under the official server provider and proxy, /live under ours, on the same cookies). One context (a returning visitor's warm cache), runs
// interleaved after a warm-up load of each; the time from navigation start to the first
// authenticated query result, medians and spread, and refresh calls per load. Run: make bench
import { startBackendV2 } from "../tests/js/support/backend-v2.mjs";
import { launchChromium } from "../tests/js/support/browser.mjs";
import { serveV2Page } from "../tests/js/support/v2-page.mjs";
import { buildFixture, startBuilt } from "../tests/js/support/next.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PROVIDERS = [
  ["`@convex-dev/auth/react` 2.0.0", "official"],
  ["`convex-auth-wasm/react` (`api`)", "ours"],
];

// Hour-long tokens: each load starts from a token with no refresh due (what is measured is the load).
const backend = await startBackendV2({ env: { AUTH_ACCESS_TOKEN_TTL_SECONDS: "3600" } });
const served = Object.fromEntries(await Promise.all(PROVIDERS.map(async ([, id]) => [id, await serveV2Page(id)])));
const browser = await launchChromium();

/** ssr mode: one build, two servers (ours; the official proxy with AUTH_IMPL=official) sharing
 *  the cookie jar (cookies are per host, not per port). */
async function ssrMode() {
  const { app } = buildFixture("ssr-nextjs");
  const env = { CONVEX_URL: backend.cloudUrl };
  const servers = { ours: await startBuilt(app, env), official: await startBuilt(app, { ...env, AUTH_IMPL: "official" }) };
  const rows = [
    ["`@convex-dev/auth/ssr/nextjs` 2.0.0", { url: `${servers.official.url}/live-official`, times: [], refreshes: 0 }],
    ["`convex-auth-wasm/ssr/nextjs`", { url: `${servers.ours.url}/live`, times: [], refreshes: 0 }],
  ];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const username = `benchssr${Date.now()}`;
    await page.goto(rows[1][1].url);
    await page.waitForFunction(() => document.querySelector("#auth")?.textContent === "unauthenticated");
    const done = await page.evaluate((u) => window.__auth.signUp({ username: u, password: "correct horse battery" }), username);
    if (done.status !== "complete") throw new Error(`ssr sign-up: ${JSON.stringify(done)}`);
    await page.addInitScript(watchFirstResult, username);
    const loadUrl = async (url) => {
      await page.goto(url);
      return (await page.waitForFunction(() => window.__firstResult, null, { timeout: 20_000 })).jsonValue();
    };
    for (const [, row] of rows) await loadUrl(row.url); // warm-up
    for (let run = 0; run < RUNS; run++) {
      for (const [, row] of run % 2 === 0 ? rows : [...rows].reverse()) {
        await backend.controls({ reset: true });
        row.times.push(await loadUrl(row.url));
        row.refreshes += (await backend.controls()).refreshCalls;
      }
    }
    await context.close();
    return rows;
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}

/** Records, in the page, when `#me` first shows `name` (a MutationObserver: the moment it happens). */
const watchFirstResult = (name) => {
  new MutationObserver((_, observer) => {
    if (document.querySelector("#me")?.textContent === name) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

/** Loads `id`'s page; ms from navigation start to the signed-in user's name on the page. */
async function load(page, id) {
  await page.goto(served[id].url(backend.cloudUrl));
  return (await page.waitForFunction(() => window.__firstResult, null, { timeout: 20_000 })).jsonValue();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `${Math.round(sorted[Math.floor(sorted.length * 0.1)])}–${Math.round(sorted[Math.ceil(sorted.length * 0.9) - 1])}`;
};

try {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Each page is its own origin (its own localStorage): the user signs up once on each, through
  // that provider's own hook.
  const username = `bench${Date.now()}`;
  for (const [, id] of PROVIDERS) {
    await page.goto(served[id].url(backend.cloudUrl));
    await page.waitForFunction(() => document.querySelector("#auth")?.textContent === "unauthenticated");
    const signUp = (u) => window.__auth.signUp({ username: u, password: "correct horse battery" });
    const signIn = (u) => window.__auth.signIn({ username: u, password: "correct horse battery" });
    const done = await page.evaluate(id === PROVIDERS[0][1] ? signUp : signIn, username);
    if (done.status !== "complete") throw new Error(`${id}: ${JSON.stringify(done)}`);
  }
  await page.addInitScript(watchFirstResult, username);
  for (const [, id] of PROVIDERS) await load(page, id); // warm-up
  const times = Object.fromEntries(PROVIDERS.map(([, id]) => [id, []]));
  const refreshes = Object.fromEntries(PROVIDERS.map(([, id]) => [id, 0]));
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? PROVIDERS : [...PROVIDERS].reverse();
    for (const [, id] of order) {
      await backend.controls({ reset: true });
      times[id].push(await load(page, id));
      refreshes[id] += (await backend.controls()).refreshCalls;
    }
  }
  await context.close();
  const ssr = await ssrMode();
  console.log(`\nConvex Auth 2: navigation start → first authenticated query result (ms), ${RUNS} runs, Chromium, warm cache\n`);
  console.log("| mode | provider | median | p10–p90 | refresh calls per load |");
  console.log("|---|---|---|---|---|");
  for (const [name, id] of PROVIDERS) {
    console.log(`| spa | ${name} | ${Math.round(median(times[id]))} | ${spread(times[id])} | ${(refreshes[id] / RUNS).toFixed(1)} |`);
  }
  for (const [name, row] of ssr) {
    console.log(`| ssr | ${name} | ${Math.round(median(row.times))} | ${spread(row.times)} | ${(row.refreshes / RUNS).toFixed(1)} |`);
  }
} finally {
  await browser.close();
  for (const { close } of Object.values(served)) close();
  await backend.stop();
}
