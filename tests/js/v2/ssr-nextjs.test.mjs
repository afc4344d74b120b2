// `convex-auth-wasm/ssr/nextjs` in a real `next build` + `next start` (tests/js/fixtures/ssr-nextjs:
// the routes from convex-auth-wasm/ssr, a proxy guarding /dashboard, server pages reading the
// session) against local Convex Auth 2 deployments. Counted at the backend: no call to check a
// session, one refresh for twenty racing page requests, none revoked; an outage across a refresh
// renders the page (never a 500) with the cookies kept.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { buildFixture, startBuilt } from "../support/next.mjs";

// One deployment with the default 60 s tokens, and one whose tokens are always due for a
// refresh (10 s: inside the proxy's 10 s window from the moment they are minted).
const [steady, due] = [await startBackendV2(), await startBackendV2({ env: { AUTH_ACCESS_TOKEN_TTL_SECONDS: "10" } })];
const { app } = buildFixture("ssr-nextjs");
const [onSteady, onDue] = [await startBuilt(app, { CONVEX_URL: steady.cloudUrl }), await startBuilt(app, { CONVEX_URL: due.cloudUrl })];
after(async () => {
  for (const server of [onSteady, onDue]) await server.stop();
  for (const backend of [steady, due]) await backend.stop();
});

let users = 0;

/** Cookies from Set-Cookie lines (a cleared one removed). */
function take(cookies, response) {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    if (value === "" || /max-age=0/i.test(line)) cookies.delete(name);
    else cookies.set(name, value);
  }
  return cookies;
}
const cookieHeader = (cookies) => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");

/** A user signed up through the app's sign-in proxy: its cookies. */
async function signedUp(server) {
  const response = await fetch(`${server.url}/auth/signin?path=/api/mutation`, {
    method: "POST",
    headers: { origin: server.url, "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", format: "convex_encoded_json", args: [{ username: `next-${++users}-${Date.now()}`, password: "correct horse battery" }] }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return take(new Map(), response);
}

/** A page request as a browser navigation with these cookies: status, what the page saw, Set-Cookie. */
async function page(server, path, cookies) {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: cookieHeader(cookies), "sec-fetch-mode": "navigate", "sec-fetch-site": "none" }, redirect: "manual" });
  const html = await response.text();
  const state = html.match(/<p id="state">(.*?)<\/p>/)?.[1];
  return { status: response.status, location: response.headers.get("location"), setCookie: response.headers.getSetCookie(), state: state && JSON.parse(state.replace(/&quot;/g, '"')) };
}

test("a signed-in page is checked locally: 0 calls to the deployment, none to refresh a fresh token", async () => {
  const cookies = await signedUp(onSteady);
  await steady.controls({ reset: true });
  for (let i = 0; i < 10; i++) {
    const seen = await page(onSteady, "/dashboard", cookies);
    assert.equal(seen.status, 200);
    assert.deepEqual([seen.state.signedIn, seen.state.again], [true, true]);
    assert.equal(seen.state.token, cookies.get("__convexAuthJWT"));
  }
  const counts = await steady.controls();
  assert.deepEqual(counts.functionCalls, {}, "no function called");
});

test("without a session the proxy redirects; the opt-in asks the deployment once per request", async () => {
  const anonymous = await page(onSteady, "/dashboard", new Map());
  assert.equal(anonymous.status, 307);
  assert.equal(new URL(anonymous.location, onSteady.url).pathname, "/signin");

  const cookies = await signedUp(onSteady);
  await steady.controls({ reset: true });
  for (let i = 0; i < 3; i++) assert.deepEqual((await page(onSteady, "/asked", cookies)).state, { first: true, second: true });
  assert.equal((await steady.controls()).functionCalls["auth:isAuthenticated"], 3);
});

test("twenty page requests racing with a token due for refresh: one refresh, every page signed in with the new token, none revoked", async () => {
  const cookies = await signedUp(onDue);
  await due.controls({ reset: true });
  const pages = await Promise.all(Array.from({ length: 20 }, () => page(onDue, "/dashboard", cookies)));
  assert.ok(pages.every((p) => p.status === 200 && p.state.signedIn), JSON.stringify(pages.map((p) => [p.status, p.state?.signedIn])));
  const tokens = new Set(pages.map((p) => p.state.token));
  assert.equal(tokens.size, 1, "every page saw the same refreshed token");
  assert.notEqual([...tokens][0], cookies.get("__convexAuthJWT"), "the page saw the refreshed token, not the old one");
  const written = new Set(pages.map((p) => take(new Map(), { headers: { getSetCookie: () => p.setCookie } }).get("__convexAuthRefreshToken")));
  assert.equal(written.size, 1, "every response wrote the same refresh token");
  const counts = await due.controls();
  assert.equal(counts.refreshCalls, 1);
  assert.equal(counts.revokedSessions, 0);
  assert.equal(counts.functionCalls["auth:isAuthenticated"] ?? 0, 0);
});

test("an outage across a refresh renders the page (no 500) with the cookies kept, and the session refreshes after", async () => {
  for (const mode of ["503", "refuse"]) {
    const cookies = await signedUp(onDue);
    await due.controls({ reset: true, mode });
    const seen = await page(onDue, "/dashboard", cookies);
    assert.equal(seen.status, 200, `${mode}: the page renders`);
    assert.equal(seen.state.signedIn, true, "its JWT is still valid");
    assert.deepEqual(seen.setCookie, [], "the cookies are kept");
    await due.controls({ mode: "ok" });
    const after = await page(onDue, "/dashboard", cookies);
    assert.equal(after.state.signedIn, true);
    assert.equal(take(cookies, { headers: { getSetCookie: () => after.setCookie } }).size, 2);
    assert.equal((await due.controls()).revokedSessions, 0);
  }
});

test("beside the official 2.0.0 proxy on the same build: its check asks the deployment on every request, and an outage across a refresh is its 500", async () => {
  const official = await startBuilt(app, { CONVEX_URL: steady.cloudUrl, AUTH_IMPL: "official" });
  const officialDue = await startBuilt(app, { CONVEX_URL: due.cloudUrl, AUTH_IMPL: "official" });
  try {
    const figures = {};
    for (const [name, server] of [["ours", onSteady], ["official", official]]) {
      const cookies = await signedUp(server);
      await steady.controls({ reset: true });
      for (let i = 0; i < 10; i++) assert.equal((await page(server, "/guarded", cookies)).status, 200, name);
      figures[name] = (await steady.controls()).functionCalls["auth:isAuthenticated"] ?? 0;
    }
    assert.deepEqual(figures, { ours: 0, official: 10 }, "isAuthenticated calls for 10 guarded pages");

    const cookies = await signedUp(officialDue);
    await due.controls({ reset: true, mode: "503" });
    assert.equal((await page(officialDue, "/guarded", cookies)).status, 500, "the official proxy's page under an outage");
    assert.equal((await page(onDue, "/guarded", cookies)).status, 200, "ours, same cookies, same outage");
  } finally {
    await due.controls({ mode: "ok" });
    await official.stop();
    await officialDue.stop();
  }
});

test("only a verified token signs a page in: a tampered signature, alg none or a cross-site POST are anonymous", async () => {
  const cookies = await signedUp(onSteady);
  const jwt = cookies.get("__convexAuthJWT");
  const [header, payload] = jwt.split(".");
  const far = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url")), exp: 4_000_000_000 })).toString("base64url");
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${far}.`;
  const flipped = `${header}.${payload}.${jwt.split(".")[2].replace(/^./, (c) => (c === "A" ? "B" : "A"))}`;
  for (const forged of [none, flipped, `${header}.${far}.${jwt.split(".")[2]}`]) {
    const seen = await page(onSteady, "/dashboard", new Map([["__convexAuthJWT", forged]]));
    assert.equal(seen.status, 307, forged);
  }
  // A POST from another site carries the Lax cookies of a same-site sibling: served as anonymous.
  const response = await fetch(`${onSteady.url}/dashboard`, {
    method: "POST",
    headers: { cookie: cookieHeader(cookies), origin: "https://sibling.example", "sec-fetch-site": "same-site", "sec-fetch-mode": "cors" },
    redirect: "manual",
  });
  assert.equal(response.status, 307);
});

test("a handler's plain Response (Response.redirect) takes the refreshed cookies", async () => {
  const cookies = await signedUp(onDue);
  await due.controls({ reset: true });
  const seen = await page(onDue, "/plain", cookies);
  assert.equal(seen.status, 302);
  assert.equal(seen.setCookie.length, 2, "both cookies rotated on the redirect");
  assert.equal((await due.controls()).refreshCalls, 1);
});

test("fetchAuthQuery in a server component calls with the request's verified JWT: the user when signed in, null when not", async () => {
  const cookies = await signedUp(onSteady);
  await steady.controls({ reset: true });
  const seen = await page(onSteady, "/me", cookies);
  assert.equal(seen.status, 200);
  assert.match(seen.state.me.username, /^next-/);
  assert.equal((await page(onSteady, "/me", new Map())).state.me, null);
  const forged = new Map([["__convexAuthJWT", `${cookies.get("__convexAuthJWT").slice(0, -4)}AAAA`]]);
  assert.equal((await page(onSteady, "/me", forged)).state.me, null, "a forged JWT is not sent");
  assert.equal((await steady.controls()).functionCalls["users:me"], 3);
});

// In real Chromium: ConvexAuthNextjsServerProvider (ssr mode) with ConvexReactClient, the
// username + password hooks through /auth/signin. Real time, not a fake clock: `next start`
// verifies tokens with its own clock, which a test cannot drive — so the deployment with 10 s
// tokens, whose refreshes come every 5 s in the browser while every page request's proxy finds
// the JWT due too (the race of the official PR #555).
const text = (tab, selector, expected) =>
  tab.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: 20_000 });

/** Chromium on /live of the app whose tokens are always due: `tabs` tabs, a new user signed up
 *  (through /auth/signin) in the first and shown in all; `run` gets them. */
async function liveTabs(prefix, count, run) {
  const { launchChromium } = await import("../support/browser.mjs");
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const url = `${onDue.url}/live`;
    const errors = [];
    const first = await context.newPage();
    first.on("pageerror", (e) => errors.push(e));
    await first.goto(url);
    await text(first, "#auth", "unauthenticated");
    const username = `${prefix}-${Date.now()}`;
    const result = await first.evaluate((u) => window.__auth.signUp({ username: u, password: "correct horse battery" }), username);
    assert.equal(result.status, "complete", JSON.stringify(result));
    const tabs = [first];
    while (tabs.length < count) {
      const tab = await context.newPage();
      await tab.goto(url);
      tabs.push(tab);
    }
    for (const tab of tabs) await text(tab, "#me", username);
    await run({ context, tabs, username, result, errors });
  } finally {
    await browser.close();
  }
}

test("ssr mode in Chromium: three tabs and racing page loads over 20 s — no session revoked, no refresh token presented twice, sign-out everywhere", { timeout: 120_000 }, () =>
  liveTabs("live", 3, async ({ context, tabs, username, result, errors }) => {
    const [first] = tabs;
    assert.equal(result.tokens.refreshToken, undefined, "the route kept the refresh token");
    assert.equal(await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).length), 0, "nothing in page storage");
    const refused = await first.evaluate(() =>
      window.__auth.token ? window.__auth.setSession({ accessToken: window.__auth.token, refreshToken: "r" }).then(() => "kept", (e) => `${e.code}: ${e.message}`) : "no token to offer");
    assert.match(refused, /^ERR_SESSION_INVALID: .*carries a refresh token/, "a refresh token never reaches the page in ssr mode");

    await due.controls({ reset: true });
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      await tabs[i % tabs.length].reload(); // a page request whose proxy finds the JWT due
    }
    for (const tab of tabs) {
      await text(tab, "#auth", "authenticated");
      await text(tab, "#me", username);
    }
    const { refreshCalls, refreshLog, revokedSessions } = await due.controls();
    console.log(`# ssr mode, 20 s of 10 s tokens, 3 tabs + 10 page loads: ${refreshCalls} refreshes, ${revokedSessions} revoked`);
    assert.equal(revokedSessions, 0, "no session revoked");
    assert.equal(refreshLog.length - new Set(refreshLog).size, 0, "no refresh token presented twice");
    assert.ok(refreshCalls >= 4, `the session was refreshed (${refreshCalls})`);

    await first.evaluate(() => window.__auth.signOut());
    for (const tab of tabs) await text(tab, "#auth", "unauthenticated");
    const left = (await context.cookies()).filter((c) => c.name.startsWith("__convexAuth"));
    assert.deepEqual(left, [], "the route cleared both cookies");
    assert.deepEqual(errors, []);
  }));

test("ssr mode in Chromium: the deployment down (503, then refused) across three token lifetimes signs no tab out; the session resumes", { timeout: 120_000 }, () =>
  liveTabs("outage", 2, async ({ context, tabs, username }) => {
    await due.controls({ reset: true });
    // 10 s tokens: refreshes are due every 5 s; for 30 s every attempt fails (our route answers 503).
    for (const mode of ["503", "refuse"]) {
      await due.controls({ mode });
      await new Promise((r) => setTimeout(r, 15_000));
      for (const tab of tabs) assert.equal(await tab.textContent("#auth"), "authenticated", `${mode}: still signed in`);
    }
    await due.controls({ mode: "ok" });
    for (const tab of tabs) {
      await text(tab, "#auth", "authenticated");
      await text(tab, "#me", username);
    }
    await tabs[0].reload(); // the proxy and the server provider after the outage: still signed in
    await text(tabs[0], "#me", username);
    const { revokedSessions, refreshLog } = await due.controls();
    assert.equal(revokedSessions, 0);
    assert.equal(refreshLog.length - new Set(refreshLog).size, 0, "no refresh token presented twice");
    assert.ok((await context.cookies()).some((c) => c.name === "__convexAuthRefreshToken"), "the cookies were kept");
  }));
