// End to end: the demo app (production build) in real headless Chromium against the local
// backend that runs the real Convex Auth server code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emails, withDemo } from "../support/demo.mjs";
import { followLinkFromElsewhere } from "../support/foreign-site.mjs";

let demo;
let browser;
withDemo({ jwtLifetime: 3600 }, (d, b) => ([demo, browser] = [d, b]));

const newEmail = emails("user");

/** Waits for the navigation after sign-out to finish: closing a page while it is still loading
 *  its scripts makes headless Chromium hang on close (seen here, minutes long). */
async function settled(page) {
  await page.waitForFunction(() => location.pathname === "/" && document.readyState === "complete", null, { timeout: 15_000 });
  await page.waitForTimeout(500);
}

test("sign-up lands on the proxy-guarded dashboard; the HTTP action and the HTTP API see the user", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = newEmail();
  await demo.signUp(page, email);
  await page.waitForURL("**/dashboard");
  await page.waitForSelector("#user-id");
  const userId = await page.textContent("#user-id");
  await page.waitForFunction(() => document.querySelector("#whoami")?.textContent?.includes("userId"));
  const whoami = JSON.parse(await page.textContent("#whoami"));
  assert.equal(whoami.status, 200);
  assert.equal(whoami.body.userId, userId);
  assert.equal(whoami.body.issuer, demo.siteUrl);
  await page.waitForFunction(() => document.querySelector("#me")?.textContent?.includes("@"));
  assert.equal(JSON.parse(await page.textContent("#me")).email, email);
  const cookies = await context.cookies();
  const names = cookies.map((c) => c.name);
  assert.ok(names.includes("__convexAuthJWT") && names.includes("__convexAuthRefreshToken"), names.join());
  const refresh = cookies.find((c) => c.name === "__convexAuthRefreshToken");
  assert.ok(refresh.httpOnly, "the refresh token is httpOnly");
  // Nothing JavaScript can read holds the refresh token: cookies, both storages, the state.
  const readable = await page.evaluate(() =>
    JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }, window.__session.getState()]),
  );
  assert.ok(refresh.value.length > 10 && !readable.includes(refresh.value), "cookie mode keeps the refresh token out of JavaScript");
  const edge = await page.evaluate(() => fetch("/api/edge-check").then((r) => r.json()));
  assert.deepEqual(edge, { authenticated: true, userId, crypto: "webcrypto", runtime: "edge" });
  await context.close();
});

test("a signed-out visit to /dashboard is redirected to sign-in", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(demo.appUrl + "/dashboard");
  assert.match(page.url(), /\/\?signin=required$/);
  assert.match(await page.textContent("#notice"), /Sign in to see the dashboard/);
  await context.close();
});

test("a tampered JWT cookie is rejected by proxy.ts with its code", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await demo.signUp(page, newEmail());
  await page.waitForURL("**/dashboard");
  const jwt = (await context.cookies()).find((c) => c.name === "__convexAuthJWT");
  const [h, p, s] = jwt.value.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url").toString());
  claims.sub = "someone-else|" + claims.sub.split("|")[1];
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
  await context.addCookies([{ ...jwt, value: forged }]);
  await page.goto(demo.appUrl + "/dashboard");
  assert.match(page.url(), /rejected=ERR_JWT_SIGNATURE_INVALID/);
  assert.match(await page.textContent("#notice"), /ERR_JWT_SIGNATURE_INVALID/);
  await context.close();
});

test("the authed fetch refuses a foreign origin and the request never leaves the page", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await demo.signUp(page, newEmail());
  await page.waitForURL("**/dashboard");
  await page.waitForSelector("#try-foreign");
  await page.click("#try-foreign");
  await page.waitForSelector("#foreign");
  assert.match(await page.textContent("#foreign"), /^ERR_FOREIGN_ORIGIN: refused to send the access token to https:\/\/example\.com/);
  assert.ok(!requested.some((u) => u.includes("example.com")), requested.join("\n"));
  await context.close();
});

test("sign-out in one tab signs out the others (cookie mode)", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await demo.signUp(first, newEmail());
  await first.waitForURL("**/dashboard");
  await first.waitForSelector("#user-id");
  const second = await context.newPage();
  await second.goto(demo.appUrl + "/dashboard");
  await second.waitForSelector("#user-id");
  await first.click("#sign-out");
  await second.waitForSelector("#signed-out", { timeout: 10_000 });
  await settled(first);
  await context.close();
});

test("sign-out in one tab signs out the others (localStorage mode)", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  await demo.useMode(context, "localStorage");
  const first = await context.newPage();
  await demo.signUp(first, newEmail());
  await first.waitForURL("**/local");
  await first.waitForSelector("#user-id");
  const keys = await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).sort());
  assert.equal(keys.length, 2, keys.join());
  assert.match(keys[0], /^__convexAuthJWT_http127001\d+$/, "the official client's key names");
  const second = await context.newPage();
  await second.goto(demo.appUrl + "/local");
  await second.waitForSelector("#user-id");
  await first.click("#sign-out");
  await second.waitForSelector("#signed-out", { timeout: 10_000 });
  await settled(first);
  await context.close();
});

for (const mode of ["localStorage", "cookie"]) {
  test(`a magic link clicked on another site signs in with its one-time code (${mode} mode)`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    await demo.useMode(context, mode);
    const page = await context.newPage();
    await page.goto(demo.appUrl + "/");
    const email = newEmail();
    await page.fill("#magic-link input[name=email]", email);
    await page.click("#send-link");
    await page.waitForSelector("#link-sent");
    const link = (await demo.mail()).filter((m) => m.to === email).pop();
    assert.ok(link, "the backend sent the link");
    const url = new URL(link.url);
    assert.ok(url.searchParams.get("code"), link.url);
    // The link points at SITE_URL (the app); the user clicks it in their webmail, another site.
    await followLinkFromElsewhere(page, demo.appUrl + url.pathname + url.search);
    await page.waitForSelector("#user-id");
    assert.doesNotMatch(page.url(), /code=/, "the single-use code left the address bar");
    const again = await page.evaluate(() => window.__session.getState().isAuthenticated);
    assert.equal(again, true);
    await context.close();
  });
}

test("a slow .wasm never holds up the page: it renders and hydrates, then the session starts, in both modes", { timeout: 90_000 }, async () => {
  for (const [mode, dashboard] of [["cookie", "/dashboard"], ["localStorage", "/local"]]) {
    const context = await browser.newContext();
    await demo.useMode(context, mode);
    const page = await context.newPage();
    await demo.signUp(page, newEmail());
    await page.waitForURL(`**${dashboard}`);
    await page.waitForFunction(() => document.querySelector("#me")?.textContent?.includes("@"));
    // Load the dashboard again with the module held back 2 s (the browser's cache bypassed).
    let release;
    const held = new Promise((ok) => (release = ok));
    let served = false;
    await page.route("**/*.wasm", async (route) => {
      const response = await route.fetch();
      await held;
      served = true;
      await route.fulfill({ response });
    });
    const before = (await demo.controls()).functionCalls["auth:signIn"] ?? 0;
    await page.goto(demo.appUrl + dashboard, { waitUntil: "domcontentloaded" });
    // React has hydrated and run its effects (the provider made its session) while the module waits.
    const loading = await page.waitForFunction(() => window.__session?.getState().isLoading === true, null, { timeout: 10_000 });
    assert.ok(await loading.jsonValue());
    assert.equal(served, false, `${mode}: the page rendered before the module arrived`);
    release();
    await page.waitForFunction(() => document.querySelector("#me")?.textContent?.includes("@"), null, { timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__session.getState().isAuthenticated), true);
    const after = (await demo.controls()).functionCalls["auth:signIn"] ?? 0;
    assert.equal(after - before, 0, `${mode}: a fresh session loads without a refresh`);
    await context.close();
  }
});
