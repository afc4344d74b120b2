// More than one server: four `next start` instances of the Convex Auth 2 fixture
// (tests/js/fixtures/ssr-nextjs) behind Debian's nginx, round-robin, one browser's cookies (a jar,
// and real Chromium on the ssr page), twenty concurrent page requests with a JWT due for refresh,
// then the browser going on with the cookies it kept. Counted at the local Convex Auth 2 deployment: no session revoked, no page signed out.
// Then the limit of per-instance sharing, and four more instances coordinating their refreshes
// through Debian's redis-server (the opt-in `refreshStore`).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { buildFixture, startBuilt } from "../support/next.mjs";
import { startLoadBalancer } from "../support/nginx.mjs";
import { startRedis } from "../support/redis.mjs";

// Tokens of 10 s: due for a refresh from the moment they are minted (the proxy's 10 s window).
const backend = await startBackendV2({ env: { AUTH_ACCESS_TOKEN_TTL_SECONDS: "10" } });
const { app } = buildFixture("ssr-nextjs");
const redis = await startRedis();
/** Four instances of the app behind nginx. */
async function cluster(env = {}) {
  const servers = [];
  for (let i = 0; i < 4; i++) servers.push(await startBuilt(app, { CONVEX_URL: backend.cloudUrl, ...env }));
  const balancer = await startLoadBalancer(servers.map((s) => s.url));
  return { url: balancer.url, servers, stop: async () => (await balancer.stop(), await Promise.all(servers.map((s) => s.stop()))) };
}
const plain = await cluster();
const coordinated = await cluster({ REFRESH_STORE_URL: redis.url });
const [balancer, instances] = [plain, plain.servers];
after(async () => {
  await plain.stop();
  await coordinated.stop();
  await redis.stop();
  await backend.stop();
});

/** A browser's cookie jar: each answer's Set-Cookie applied in the order the answers arrive. */
class Jar extends Map {
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (value === "" || /max-age=0/i.test(line)) this.delete(name);
      else this.set(name, value);
    }
  }
  header() {
    return [...this].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** A user signed up through the app at `base`: its jar. */
async function signedUp(base) {
  const jar = new Jar();
  const response = await fetch(`${base}/auth/signin?path=/api/mutation`, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", format: "convex_encoded_json", args: [{ username: `balanced-${Math.random()}`, password: "correct horse battery" }] }),
  });
  assert.equal(response.status, 200);
  jar.take(response);
  return jar;
}

async function dashboard(base, jar, { keep = true } = {}) {
  const response = await fetch(`${base}/dashboard`, { headers: { cookie: jar.header(), "sec-fetch-mode": "navigate", "sec-fetch-site": "none" }, redirect: "manual" });
  if (keep) jar.take(response);
  const state = (await response.text()).match(/<p id="state">(.*?)<\/p>/)?.[1];
  return { status: response.status, state: state && JSON.parse(state.replace(/&quot;/g, '"')) };
}

test("four instances behind nginx: twenty racing pages and the browser going on — no session revoked, no page signed out", async () => {
  const jar = await signedUp(balancer.url);
  await backend.controls({ reset: true });
  const burst = await Promise.all(Array.from({ length: 20 }, () => dashboard(balancer.url, jar)));
  assert.ok(burst.every((p) => p.status === 200 && p.state.signedIn), JSON.stringify(burst.map((p) => p.status)));
  const afterBurst = await backend.controls();
  assert.ok(afterBurst.refreshCalls <= instances.length, `at most one refresh per instance, saw ${afterBurst.refreshCalls}`);

  // The browser goes on with the cookies it kept: every page refreshes (10 s tokens), one by one.
  for (let i = 0; i < 20; i++) {
    const seen = await dashboard(balancer.url, jar);
    assert.equal(seen.status, 200);
    assert.equal(seen.state.signedIn, true, `page ${i} after the burst`);
  }
  const counts = await backend.controls();
  assert.equal(counts.revokedSessions, 0, JSON.stringify(counts.revocations));
  assert.equal(jar.size, 2, "both cookies still set");
  console.log(`# refreshSession calls: ${afterBurst.refreshCalls} for the burst of 20 over ${instances.length} instances, ${counts.refreshCalls - afterBurst.refreshCalls} for the 20 pages after`);
});

test("the refresh store coordinates pages too: twenty racing pages over four instances make one refresh, and a store that is down falls back to one per instance", async () => {
  const jar = await signedUp(coordinated.url);
  await backend.controls({ reset: true });
  const burst = await Promise.all(Array.from({ length: 20 }, () => dashboard(coordinated.url, jar)));
  assert.ok(burst.every((p) => p.status === 200 && p.state.signedIn));
  assert.equal(new Set(burst.map((p) => p.state.token)).size, 1, "every page saw the one refreshed token");
  assert.equal((await backend.controls()).refreshCalls, 1);

  await redis.pause();
  try {
    const other = await signedUp(coordinated.url);
    await backend.controls({ reset: true });
    const pages = await Promise.all(Array.from({ length: 8 }, () => dashboard(coordinated.url, other)));
    assert.ok(pages.every((p) => p.status === 200 && p.state.signedIn), "no page fails with the store down");
    // Each instance refreshes for itself (its own requests still share): one call per instance.
    assert.equal((await backend.controls()).refreshCalls, 4);
  } finally {
    await redis.resume();
  }
});

test("one real browser (Chromium) on the ssr page behind the four instances: twenty concurrent page loads with a due JWT, then the page going on — no session revoked, no sign-out, cookies consistent", { timeout: 120_000 }, async () => {
  const { launchChromium } = await import("../support/browser.mjs");
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const text = (selector, expected) =>
      page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: 20_000 });
    await page.goto(`${balancer.url}/live`);
    await text("#auth", "unauthenticated");
    const username = `balanced-browser-${Date.now()}`;
    const result = await page.evaluate((u) => window.__auth.signUp({ username: u, password: "correct horse battery" }), username);
    assert.equal(result.status, "complete");
    await text("#me", username);
    await backend.controls({ reset: true });
    // The browser's own cookie jar: every answer's Set-Cookie applied as it arrives.
    const statuses = await page.evaluate(() =>
      Promise.all(Array.from({ length: 20 }, () => fetch("/live", { credentials: "same-origin" }).then((r) => r.status))));
    assert.deepEqual([...new Set(statuses)], [200]);
    const afterBurst = (await backend.controls()).refreshCalls;
    assert.ok(afterBurst <= instances.length, `at most one refresh per instance, saw ${afterBurst}`);
    // The page goes on with the cookies the browser kept: a reload (served by whichever instance
    // nginx picks), then its own refreshes through /auth/refresh for 15 s of 10 s tokens.
    await page.reload();
    await text("#me", username);
    await new Promise((r) => setTimeout(r, 15_000));
    await text("#auth", "authenticated");
    await page.reload();
    await text("#me", username);
    const counts = await backend.controls();
    assert.equal(counts.revokedSessions, 0, JSON.stringify(counts.revocations));
    const names = (await context.cookies()).map((c) => c.name).filter((n) => n.startsWith("__convexAuth")).sort();
    assert.deepEqual(names, ["__convexAuthJWT", "__convexAuthRefreshToken"]);
    console.log(`# one browser: ${afterBurst} refreshes for 20 concurrent page loads over ${instances.length} instances, ${counts.refreshCalls - afterBurst} after`);
  } finally {
    await browser.close();
  }
});

// Last: it moves the deployment's clock ahead, and tokens minted after are not yet valid to the
// instances' verifiers.
test("the limit of one refresh per instance, and the refresh store that lifts it: the pre-burst refresh token presented again 6 s after a burst is reuse only when the burst fanned out uncoordinated", async () => {
  const [revoked, refreshes] = [{}, {}];
  const setups = [["one instance", instances[0].url], ["four behind nginx", balancer.url], ["four with a refresh store", coordinated.url]];
  for (const [name, base] of setups) {
    const jar = await signedUp(base);
    const straggler = new Jar(jar);
    await backend.controls({ reset: true });
    // Twenty refreshes racing with one refresh token (the route: no expiry check, so the
    // deployment's driven clock does not matter here).
    const refresh = () => fetch(`${base}/auth/refresh`, { method: "POST", headers: { origin: base, cookie: jar.header() } }).then((r) => r.status);
    const statuses = await Promise.all(Array.from({ length: 20 }, refresh));
    assert.ok(statuses.every((s) => s === 200), `${name}: ${statuses}`);
    refreshes[name] = (await backend.controls()).refreshCalls;
    // Six seconds later (the deployment's driven clock: past v2's 5 s grace) the pre-burst refresh
    // token comes back — a slow request reaching an instance whose 5 s sharing window has passed
    // (called as that instance would: the instances' own clocks are real, so this goes direct).
    await backend.controls({ advanceMs: 6_000 });
    await fetch(`${backend.cloudUrl}/api/mutation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "auth:refreshSession", format: "json", args: { refreshToken: straggler.get("__convexAuthRefreshToken") } }),
    }).then((r) => r.arrayBuffer());
    revoked[name] = (await backend.controls()).revokedSessions;
  }
  assert.deepEqual(refreshes, { "one instance": 1, "four behind nginx": 4, "four with a refresh store": 1 }, "refreshSession calls for the burst");
  assert.deepEqual(revoked, { "one instance": 0, "four behind nginx": 1, "four with a refresh store": 0 });
});
