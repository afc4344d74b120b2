// End to end with 20-second JWTs: refreshes across three tabs, a backend outage during a refresh
// window, and a revoked refresh token — against the real Convex Auth server code, counting the
// refresh calls at the backend.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startDemo } from "../support/demo.mjs";

const LIFETIME = 20;
let demo;
let browser;
before(async () => {
  demo = await startDemo({ jwtLifetime: LIFETIME });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  demo?.stop();
});

const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
let counter = 0;
const newEmail = () => `refresh${Date.now()}-${counter++}@example.com`;
// getState() holds Error objects; keep their codes when bringing the state out of the page.
const state = (page) =>
  page.evaluate(() => {
    const s = window.__session.getState();
    return { ...s, lastError: s.lastError && { code: s.lastError.code }, storageError: s.storageError && { code: s.storageError.code } };
  });

async function signedInTabs(mode, count) {
  const context = await browser.newContext();
  const first = await context.newPage();
  await first.goto(demo.appUrl + "/");
  if (mode === "localStorage") await first.evaluate(() => localStorage.setItem("convex-auth-wasm-demo-mode", "localStorage"));
  await first.reload();
  await first.fill("input[name=email]", newEmail());
  await first.fill("input[name=password]", "correct horse battery");
  await first.click("#sign-up");
  const home = mode === "cookie" ? "/dashboard" : "/local";
  await first.waitForURL("**" + home);
  const pages = [first];
  for (let i = 1; i < count; i++) {
    const page = await context.newPage();
    await page.goto(demo.appUrl + home);
    pages.push(page);
  }
  for (const page of pages) await page.waitForSelector("#user-id");
  return { context, pages };
}

for (const mode of ["cookie", "localStorage"]) {
  test(`${mode} mode: three tabs share one refresh per token lifetime and stay signed in`, { timeout: 120_000 }, async (t) => {
    const { context, pages } = await signedInTabs(mode, 3);
    await sleep(2); // let load-time refreshes settle
    await demo.controls({ refreshCalls: 0 });
    const window = 2.2 * LIFETIME;
    await sleep(window);
    const { refreshCalls } = await demo.controls();
    const states = await Promise.all(pages.map(state));
    for (const s of states) {
      assert.equal(s.isAuthenticated, true);
      assert.equal(s.refreshFailures, 0);
    }
    assert.equal(new Set(states.map((s) => s.expiresAt)).size, 1, "every tab holds the same, newest token");
    // One refresh per token: each token is refreshed 10 s before its 20 s expiry.
    const perToken = LIFETIME - 10;
    const expected = Math.floor(window / perToken);
    t.diagnostic(`${refreshCalls} refresh calls in ${window} s with 3 tabs (${(refreshCalls / 3).toFixed(2)} per tab; one token every ${perToken} s)`);
    assert.ok(refreshCalls >= expected - 1 && refreshCalls <= expected + 1, `${refreshCalls} refresh calls, expected about ${expected}`);
    await context.close();
  });
}

test("localStorage mode: a backend outage during a refresh window never signs the user out", { timeout: 150_000 }, async (t) => {
  const { context, pages } = await signedInTabs("localStorage", 1);
  const [page] = pages;
  for (const fault of ["refuse", "503"]) {
    await demo.controls({ mode: fault });
    await sleep(LIFETIME + 2); // the refresh window and the token's expiry both pass
    const during = await state(page);
    assert.equal(during.isAuthenticated, true, `${fault}: still signed in`);
    assert.ok(during.refreshFailures >= 1, `${fault}: failures are counted (${during.refreshFailures})`);
    assert.match(during.lastError.code, fault === "503" ? /ERR_HTTP_STATUS/ : /ERR_NETWORK_OR_CORS/);
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("__convexAuthRefreshToken"))), "tokens kept");
    await demo.controls({ mode: "ok" });
    await page.waitForFunction(() => window.__session.getState().refreshFailures === 0, null, { timeout: 60_000 });
    const after = await state(page);
    assert.equal(after.isAuthenticated, true);
    t.diagnostic(`${fault}: recovered after ${during.refreshFailures}+ failed attempts`);
  }
  await page.click("text=Call again");
  await page.waitForFunction(() => document.querySelector("#whoami")?.textContent?.includes('"status": 200'));
  await context.close();
});

test("a reused refresh token outside the reuse window signs out cleanly, without a retry loop", { timeout: 120_000 }, async () => {
  const { context, pages } = await signedInTabs("localStorage", 1);
  const [page] = pages;
  const old = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith("__convexAuth"))));
  // The old refresh token is used by the next refresh; wait past the 10 s reuse window.
  await page.waitForFunction((before) => window.__session.getState().expiresAt !== before, (await state(page)).expiresAt, { timeout: 40_000 });
  await sleep(12);
  await context.close();
  // Another browser replays the old tokens: the server revokes that branch and answers null.
  const replay = await browser.newContext();
  const tab = await replay.newPage();
  await tab.goto(demo.appUrl + "/");
  await tab.evaluate((entries) => {
    localStorage.setItem("convex-auth-wasm-demo-mode", "localStorage");
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, old);
  await demo.controls({ refreshCalls: 0 });
  await tab.goto(demo.appUrl + "/local");
  await tab.waitForSelector("#signed-out", { timeout: 15_000 });
  await sleep(3);
  const s = await state(tab);
  assert.equal(s.isAuthenticated, false);
  assert.equal(s.lastError, null, "a clean sign-out, not an error");
  assert.equal((await demo.controls()).refreshCalls, 1, "one refresh, no loop");
  assert.deepEqual(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth"))), []);
  await replay.close();
});
