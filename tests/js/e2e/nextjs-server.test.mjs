// End to end: convex-auth-wasm/nextjs/server in the demo's production build (`next start`), cookie
// mode, against the local backend running the real Convex Auth server code — calls counted at
// the backend. Page loads hydrated from the server, one refresh for many concurrent requests, the
// CSRF rule on the auth route, and outages that never sign anyone out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, emails, withDemo } from "../support/demo.mjs";
import { followLinkFromElsewhere } from "../support/foreign-site.mjs";

const LIFETIME = 20;
let demo;
let browser;
withDemo({ jwtLifetime: LIFETIME }, (d, b) => ([demo, browser] = [d, b]));

const newEmail = emails("server");
const state = (page) =>
  page.evaluate(() => {
    const s = window.__session.getState();
    return { ...s, lastError: s.lastError && { code: s.lastError.code }, storageError: null };
  });

async function signUpIn(context) {
  const page = await context.newPage();
  await demo.signUp(page, newEmail());
  await page.waitForURL("**/dashboard");
  await page.waitForSelector("#user-id");
  return page;
}

/** `Set-Cookie` values by cookie name. */
function setCookies(res) {
  const pair = (c) => c.split(";")[0];
  return Object.fromEntries(
    res.headers.getSetCookie().map((c) => [pair(c).split("=")[0], decodeURIComponent(pair(c).split("=").slice(1).join("="))]),
  );
}

/** Signs up through the auth route from Node; returns the Cookie header the browser would send. */
async function signUpThroughRoute() {
  const res = await fetch(`${demo.appUrl}/api/auth`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: demo.appUrl },
    body: JSON.stringify({ action: "auth:signIn", args: { provider: "password", params: { email: newEmail(), password: PASSWORD, flow: "signUp" } } }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  assert.equal(body.tokens.refreshToken, "dummy", "the refresh token never reaches JavaScript");
  const jar = setCookies(res);
  assert.ok(jar.__convexAuthJWT && jar.__convexAuthRefreshToken, JSON.stringify(jar));
  const cookie = `__convexAuthJWT=${encodeURIComponent(jar.__convexAuthJWT)}; __convexAuthRefreshToken=${encodeURIComponent(jar.__convexAuthRefreshToken)}`;
  return { jar, cookie };
}

test("a page load with a fresh JWT makes no refresh call; an anonymous one no call to auth:signIn at all", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await signUpIn(context);
  await demo.controls({ refreshCalls: 0, signInCalls: 0 });
  for (const path of ["/dashboard", "/", "/dashboard"]) {
    await page.goto(demo.appUrl + path);
    await page.waitForFunction(() => window.__session?.getState().isAuthenticated === true);
  }
  await page.waitForSelector("#user-id");
  assert.equal((await demo.controls()).refreshCalls, 0, "hydrated from the server's verified JWT");
  await context.close();
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(demo.appUrl + "/");
  await visitor.waitForFunction(() => window.__session?.getState().isLoading === false);
  await visitor.goto(demo.appUrl + "/dashboard");
  assert.match(visitor.url(), /signin=required/);
  await visitor.waitForFunction(() => window.__session?.getState().isLoading === false);
  assert.equal((await demo.controls()).signInCalls, 0, "no refresh attempt for an anonymous visitor");
  await anonymous.close();
});

test("a link to /dashboard clicked on another site opens the dashboard for a signed-in user", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await signUpIn(context);
  const seen = [];
  page.on("request", async (r) => {
    if (r.isNavigationRequest() && r.url().includes("/dashboard")) seen.push((await r.allHeaders())["sec-fetch-site"]);
  });
  await demo.controls({ refreshCalls: 0 });
  await followLinkFromElsewhere(page, `${demo.appUrl}/dashboard?from=mail`);
  assert.deepEqual(seen, ["cross-site"], "the browser says where the link came from");
  assert.doesNotMatch(page.url(), /signin=required/);
  await page.waitForSelector("#user-id");
  assert.match(await page.textContent("#server-user"), /^server.*@example\.com$/, "the server saw the user too");
  assert.equal((await demo.controls()).refreshCalls, 0, "a fresh JWT: no refresh");
  await context.close();
});

test("the official layout: useAuthActions under the server provider alone, and a section's client provider signed in after a client navigation", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.appUrl}/migrate`);
  await page.waitForFunction(() => document.querySelector("#migrate-state")?.textContent === "signed out");
  const email = newEmail();
  await page.fill("#migrate-sign-up input[name=email]", email);
  await page.fill("#migrate-sign-up input[name=password]", PASSWORD);
  const documents = [];
  page.on("request", (r) => r.isNavigationRequest() && documents.push(r.url()));
  await page.click("#migrate-sign-up button");
  await page.waitForURL("**/migrate/section");
  await page.waitForFunction(() => document.querySelector("#section-state")?.textContent === "signed in");
  await page.waitForFunction((e) => document.querySelector("#section-me")?.textContent === e, email);
  assert.deepEqual(documents, [], "a client-side navigation, no reload");
  await context.close();
});

test("the auth route refuses a body over 64 KB with a typed 413, before parsing it", { timeout: 60_000 }, async () => {
  const keys = Array.from({ length: 7000 }, (_, i) => `"k${i}":${i}`).join(",");
  const res = await fetch(`${demo.appUrl}/api/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"action":"auth:signIn","args":{${keys}}}`,
  });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).code, "ERR_ROUTE_BODY_TOO_LARGE");
  // Chunked, with no Content-Length: the reading stops at the cap.
  const bytes = new TextEncoder().encode(`{"action":"auth:signIn","args":{${keys}}}`);
  const chunked = await fetch(`${demo.appUrl}/api/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new ReadableStream({ start(c) { for (let i = 0; i < bytes.length; i += 4096) c.enqueue(bytes.slice(i, i + 4096)); c.close(); } }),
    duplex: "half",
  });
  assert.equal(chunked.status, 413);
  assert.equal((await chunked.json()).code, "ERR_ROUTE_BODY_TOO_LARGE");
});

test("a server component checks auth locally: the deployment sees only its query", { timeout: 60_000 }, async () => {
  const { cookie } = await signUpThroughRoute();
  await demo.controls({ functionCalls: {} });
  const res = await fetch(`${demo.appUrl}/dashboard`, { headers: { cookie, accept: "text/html" } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Server-rendered for <code id="server-user">server[^<]*@example\.com/);
  const { functionCalls } = await demo.controls();
  assert.deepEqual(functionCalls, { "users:me": 1 }, "no auth:isAuthenticated round trip, no refresh");
});

test("the auth route refuses cross-site requests with a typed error; same-site ones work", { timeout: 60_000 }, async () => {
  const post = (headers) =>
    fetch(`${demo.appUrl}/api/auth`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ action: "auth:signIn", args: { refreshToken: "dummy" } }),
    });
  for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }]) {
    const res = await post(headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal((await res.json()).code, "ERR_CROSS_SITE_REQUEST");
  }
  const same = await post({ origin: demo.appUrl, "sec-fetch-site": "same-origin" });
  assert.equal(same.status, 200);
  assert.deepEqual(await same.json(), { tokens: null }, "no session: the definitive answer, without a call");
  assert.equal((await fetch(`${demo.appUrl}/api/auth`)).status, 405);
});

test("20 concurrent page requests with a JWT about to expire make one refresh call, and all get its cookies", { timeout: 60_000 }, async () => {
  // The deployment's clock runs 15 s behind the app's: a fresh 20 s JWT is inside the refresh window.
  await demo.controls({ advanceMs: -15_000 });
  try {
    const { jar, cookie } = await signUpThroughRoute();
    await new Promise((r) => setTimeout(r, 1100)); // a JWT minted in the same second would be byte-identical
    await demo.controls({ refreshCalls: 0, refreshLog: [] });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${demo.appUrl}/dashboard`, { headers: { cookie, accept: "text/html" }, redirect: "manual" })),
    );
    const { refreshCalls, refreshLog } = await demo.controls();
    assert.equal(refreshCalls, 1, "one refresh for the twenty");
    assert.deepEqual(refreshLog, [jar.__convexAuthRefreshToken]);
    const issued = responses.map((r) => setCookies(r));
    for (const [i, res] of responses.entries()) {
      assert.equal(res.status, 200, `request ${i}`);
      assert.notEqual(issued[i].__convexAuthJWT, jar.__convexAuthJWT, "a new JWT");
      assert.equal(issued[i].__convexAuthJWT, issued[0].__convexAuthJWT, "the same new JWT for every request");
      assert.equal(issued[i].__convexAuthRefreshToken, issued[0].__convexAuthRefreshToken);
    }
  } finally {
    await demo.controls({ advanceMs: 15_000 });
  }
});

test("an outage across a cookie-mode refresh window (refused, 503, slow past the timeout) signs no tab out", { timeout: 120_000 }, async (t) => {
  const context = await demo.clockedContext(browser);
  const first = await signUpIn(context);
  const second = await context.newPage();
  await second.goto(demo.appUrl + "/dashboard");
  await second.waitForSelector("#user-id");
  const tabs = [first, second];
  for (const fault of ["refuse", "503", "slow"]) {
    await demo.controls({ mode: fault, slowMs: 10_500 });
    // The refresh window and the expiry pass (slow: and the client's 20 s request timeout).
    await demo.advance([context], (LIFETIME + 2 + (fault === "slow" ? 20 : 0)) * 1000);
    const during = await Promise.all(tabs.map(state));
    for (const s of during) assert.equal(s.isAuthenticated, true, `${fault}: still signed in`);
    // The tab holding the refresh lock counts the failures; the others wait their turn.
    assert.ok(during.some((s) => s.refreshFailures >= 1), `${fault}: failures counted`);
    const names = (await context.cookies()).map((c) => c.name);
    assert.ok(names.includes("__convexAuthRefreshToken") && names.includes("__convexAuthJWT"), `${fault}: cookies kept: ${names}`);
    await demo.controls({ mode: "ok" });
    // Slow: the requests already waiting (the route's 10 s timeout, the deployment's 10.5 s
    // delay) run out in real time, which the browsers' fake clocks do not move.
    if (fault === "slow") await new Promise((r) => setTimeout(r, 11_000));
    await demo.advance([context], 65_000); // past the longest backoff
    for (const tab of tabs) {
      const s = await state(tab);
      assert.equal(s.refreshFailures, 0, `${fault}: recovered`);
      assert.equal(s.hasToken, true);
    }
    t.diagnostic(`${fault}: every tab recovered`);
  }
  // (No reload here: the deployment's clock now runs minutes ahead of the app server's, whose
  // verifier would rightly call the fresh JWT not yet valid.)
  await context.close();
});
