// More than one server: four `next start` instances of the Convex Auth 2 fixture
// (tests/js/fixtures/ssr-nextjs) behind Debian's nginx, round-robin, one browser's cookies, twenty
// concurrent page requests with a JWT due for refresh, then the browser going on with the cookies
// it kept. Counted at the local Convex Auth 2 deployment: no session revoked, no page signed out.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { buildFixture, startBuilt } from "../support/next.mjs";
import { startLoadBalancer } from "../support/nginx.mjs";

// Tokens of 10 s: due for a refresh from the moment they are minted (the proxy's 10 s window).
const backend = await startBackendV2({ env: { AUTH_ACCESS_TOKEN_TTL_SECONDS: "10" } });
const { app } = buildFixture("ssr-nextjs");
const instances = [];
for (let i = 0; i < 4; i++) instances.push(await startBuilt(app, { CONVEX_URL: backend.cloudUrl }));
const balancer = await startLoadBalancer(instances.map((s) => s.url));
after(async () => {
  await balancer.stop();
  for (const server of instances) await server.stop();
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

test("the limit of one refresh per instance: the pre-burst refresh token presented again 6 s after a burst over four instances is reuse (after one instance: not)", async () => {
  const [revoked, refreshes] = [{}, {}];
  for (const [name, base] of [["one instance", instances[0].url], ["four behind nginx", balancer.url]]) {
    const jar = await signedUp(base);
    const straggler = new Jar(jar);
    await backend.controls({ reset: true });
    // Twenty refreshes racing with one refresh token (the route: no expiry check, so the
    // deployment's driven clock does not matter here).
    const refresh = () => fetch(`${base}/auth/refresh`, { method: "POST", headers: { origin: base, cookie: jar.header() } }).then((r) => r.arrayBuffer());
    await Promise.all(Array.from({ length: 20 }, refresh));
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
  assert.deepEqual(refreshes, { "one instance": 1, "four behind nginx": 4 }, "refreshSession calls for the burst");
  assert.deepEqual(revoked, { "one instance": 0, "four behind nginx": 1 });
});
