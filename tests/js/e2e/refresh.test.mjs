// End to end with 20-second JWTs and driven time: refreshes across three tabs, a backend outage
// across a refresh window, and a revoked refresh token — against the real Convex Auth server
// code, counting the refresh calls at the backend. Time is a fake on both sides (Playwright's
// clock in the browser, an offset on the backend's Date.now; both test-only); requests are real.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, emails, withDemo } from "../support/demo.mjs";

const LIFETIME = 20;
let demo;
let browser;
withDemo({ jwtLifetime: LIFETIME }, (d, b) => ([demo, browser] = [d, b]));

const newEmail = emails("refresh");
// getState() holds Error objects; keep their codes when bringing the state out of the page.
const state = (page) =>
  page.evaluate(() => {
    const s = window.__session.getState();
    return { ...s, lastError: s.lastError && { code: s.lastError.code }, storageError: s.storageError && { code: s.storageError.code } };
  });

async function signedInTabs(mode, count) {
  const context = await demo.clockedContext(browser);
  const first = await context.newPage();
  await demo.useMode(context, mode);
  await demo.signUp(first, newEmail());
  const home = mode === "cookie" ? "/dashboard" : "/local";
  await first.waitForURL("**" + home);
  await first.waitForSelector("#convex-auth:text('authenticated')");
  const { pages, loadRefreshes } = await openMore(context, first, home, count);
  for (const page of pages) await page.waitForSelector("#user-id");
  return { context, pages, loadRefreshes };
}

/** Opens `count - 1` more tabs on `path` next to `first`; counts the refresh calls they cost. */
async function openMore(context, first, path, count) {
  await demo.controls({ refreshCalls: 0 });
  const pages = [first];
  for (let i = 1; i < count; i++) {
    const page = await context.newPage();
    await page.goto(demo.appUrl + path);
    pages.push(page);
  }
  for (const page of pages) await page.waitForSelector("#convex-auth:text('authenticated')");
  await demo.advance([context], 2_000); // what the loads set off settles
  return { pages, loadRefreshes: (await demo.controls()).refreshCalls };
}

/** Drives `window` seconds across the tabs; returns the refresh calls, the new tokens, and the
 *  Authenticate messages per socket, all counted at the backend. */
async function driveWindow(context, pages, window, tokenOf) {
  await demo.controls({ refreshCalls: 0 });
  const { authenticatesPerSocket: before, openSockets } = await demo.controls();
  const start = await tokenOf(pages[0]);
  const tokens = new Set();
  await demo.advance([context], window * 1000, {
    onStep: async () => {
      for (const page of pages) tokens.add(await tokenOf(page));
    },
  });
  tokens.delete(start);
  const { refreshCalls, authenticatesPerSocket: after, openSockets: openAfter } = await demo.controls();
  const perSocket = openAfter.map((i) => after[i] - (before[i] ?? 0));
  return { refreshCalls, tokens, perSocket, openSockets, openAfter };
}

const WINDOW = 5 * (LIFETIME - 10); // about five tokens, each refreshed 10 s before its 20 s expiry
const figures = {};

for (const mode of ["cookie", "localStorage"]) {
  test(`${mode} mode: three tabs on ConvexReactClient share exactly one refresh per token and stay signed in`, { timeout: 60_000 }, async (t) => {
    const { context, pages, loadRefreshes } = await signedInTabs(mode, 3);
    // localStorage: the stored token is fresh; cookie mode: the server provider hydrates the page
    // with the JWT it verified. Either way the Convex client's forced fetch right after the
    // server confirms the token waits for the schedule.
    assert.equal(loadRefreshes, 0, "opening two more tabs costs no refresh");
    const { refreshCalls, tokens, perSocket, openSockets, openAfter } = await driveWindow(
      context,
      pages,
      WINDOW,
      async (page) => (await state(page)).expiresAt,
    );
    const states = await Promise.all(pages.map(state));
    for (const s of states) {
      assert.equal(s.isAuthenticated, true);
      assert.equal(s.hasToken, true);
      assert.equal(s.refreshFailures, 0);
    }
    for (const page of pages) assert.equal(await page.textContent("#convex-auth"), "authenticated");
    assert.equal(new Set(states.map((s) => s.expiresAt)).size, 1, "every tab holds the same, newest token");
    t.diagnostic(
      `${loadRefreshes} refresh calls opening 2 more tabs; ${refreshCalls} in ${WINDOW} s of driven time with 3 tabs; Authenticate per socket: ${perSocket}`,
    );
    assert.equal(refreshCalls, tokens.size, "exactly one refresh call per new token, across all tabs");
    assert.ok(tokens.size >= 4 && tokens.size <= 6, `${tokens.size} tokens in ${WINDOW} s`);
    assert.deepEqual(openAfter, openSockets, "no socket was dropped or added");
    assert.equal(perSocket.length, 3, "one socket per tab");
    for (const n of perSocket) assert.ok(n <= 2 * tokens.size, `at most two Authenticate per socket per lifetime: ${perSocket}`);
    figures[mode] = { loadRefreshes, refreshCalls, tokens: tokens.size, perSocket };
    await context.close();
  });
}

test("side by side: the official @convex-dev/auth/react provider in the same harness", { timeout: 60_000 }, async (t) => {
  const context = await demo.clockedContext(browser);
  const first = await context.newPage();
  await first.goto(demo.appUrl + "/official");
  await first.fill("#official-signin input[name=email]", newEmail());
  await first.fill("#official-signin input[name=password]", PASSWORD);
  await first.click("#official-sign-up");
  await first.waitForSelector("#convex-auth:text('authenticated')");
  const { pages, loadRefreshes } = await openMore(context, first, "/official", 3);
  const jwtOf = (page) => page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith("__convexAuthJWT"))?.[1]);
  const { refreshCalls, tokens, perSocket } = await driveWindow(context, pages, WINDOW, jwtOf);
  for (const page of pages) assert.equal(await page.textContent("#convex-auth"), "authenticated");
  const ours = figures.localStorage ?? {};
  t.diagnostic(
    `official provider: ${loadRefreshes} refresh calls opening 2 more tabs; ${refreshCalls} for ${tokens.size} tokens in ${WINDOW} s; Authenticate per socket: ${perSocket}` +
      ` — ours (localStorage): ${ours.loadRefreshes}; ${ours.refreshCalls} for ${ours.tokens}; ${ours.perSocket}`,
  );
  await context.close();
});

test("localStorage mode: a backend outage across a refresh window never signs the user out, nor its Convex client", { timeout: 60_000 }, async (t) => {
  const { context, pages } = await signedInTabs("localStorage", 1);
  const [page] = pages;
  // What the Convex client itself says (useConvexAuth), sampled every driven second: a client
  // handed `null`, or detached while the token is gone, would say "unauthenticated".
  const seen = new Set();
  const sample = async () => seen.add(await page.textContent("#convex-auth"));
  for (const fault of ["refuse", "503"]) {
    await demo.controls({ mode: fault });
    await demo.advance([context], (LIFETIME + 2) * 1000, { onStep: sample }); // the refresh window and the expiry both pass
    const during = await state(page);
    assert.equal(during.isAuthenticated, true, `${fault}: still signed in`);
    assert.equal(during.hasToken, false, `${fault}: the token expired meanwhile`);
    assert.ok(during.refreshFailures >= 2, `${fault}: failures are counted (${during.refreshFailures})`);
    assert.match(during.lastError.code, fault === "503" ? /ERR_HTTP_STATUS/ : /ERR_NETWORK_OR_CORS/);
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("__convexAuthRefreshToken"))), "tokens kept");
    await demo.controls({ mode: "ok" });
    await demo.advance([context], 65_000, { onStep: sample }); // past the longest backoff
    const after = await state(page);
    assert.equal(after.refreshFailures, 0, `${fault}: recovered`);
    assert.equal(after.hasToken, true);
    t.diagnostic(`${fault}: recovered after ${during.refreshFailures}+ failed attempts`);
  }
  assert.ok(!seen.has("unauthenticated"), `the Convex client never reported unauthenticated: ${[...seen]}`);
  assert.equal(await page.textContent("#convex-auth"), "authenticated");
  await page.click("text=Call again");
  await page.waitForFunction(() => document.querySelector("#whoami")?.textContent?.includes('"status": 200'));
  await context.close();
});

test("the plain convex.setAuth path: a refresh outage across the expiry never reports the client unauthenticated", { timeout: 60_000 }, async () => {
  const { context, pages } = await signedInTabs("localStorage", 1);
  const page = await context.newPage();
  await page.goto(demo.appUrl + "/plain");
  await page.waitForSelector("#plain-auth:text('authenticated')");
  await page.waitForFunction(() => document.querySelector("#plain-me")?.textContent?.includes("@example.com"));
  await pages[0].close(); // the plain page alone holds the session now
  const seen = new Set();
  const sample = async () => seen.add(await page.textContent("#plain-auth"));
  await demo.controls({ mode: "503" });
  await demo.advance([context], (LIFETIME + 2) * 1000, { onStep: sample }); // the token expires unrefreshed
  // The deployment notices the expired identity on the socket's next message: a write sends one,
  // and the client asks for a replacement while every refresh still fails.
  await page.evaluate(() => void window.__addNote("written during the outage").catch(() => {}));
  await demo.advance([context], 10_000, { onStep: sample });
  await demo.controls({ mode: "ok" });
  await demo.advance([context], 65_000, { onStep: sample }); // past the longest backoff
  assert.ok(!seen.has("unauthenticated"), `onChange never said unauthenticated: ${[...seen]}`);
  await page.waitForSelector("#plain-auth:text('authenticated')");
  await page.waitForFunction(() => document.querySelector("#plain-me")?.textContent?.includes("@example.com"));
  assert.equal((await state(page)).hasToken, true);
  await context.close();
});

test("a refresh that fails after another tab's success: no tab's Convex client reports unauthenticated", { timeout: 60_000 }, async (t) => {
  const { context, pages } = await signedInTabs("localStorage", 2);
  // Another tab's success: one refresh for both tabs, each now holding its result.
  await demo.controls({ refreshCalls: 0 });
  await demo.advance([context], (LIFETIME - 8) * 1000);
  assert.equal((await demo.controls()).refreshCalls, 1, "one refresh for both tabs");
  const shared = await pages[0].evaluate(() => window.__session.getToken());
  assert.equal(await pages[1].evaluate(() => window.__session.getToken()), shared, "both tabs hold its token");
  // Then the deployment refuses that token on every socket while refreshes alone fail: each
  // client asks for a replacement, which must be neither `null` nor the refused token.
  const seen = new Set();
  const sample = async () => {
    for (const page of pages) seen.add(await page.textContent("#convex-auth"));
  };
  await demo.controls({ rejectIssuedBeforeMs: (await demo.controls()).now + 1000, refreshMode: "503", refusedRefreshCalls: 0 });
  await demo.advance([context], 2_000);
  await demo.controls({ dropSockets: true, refreshCalls: 0 });
  await demo.advance([context], 12_000, { onStep: sample });
  const { refusedRefreshCalls } = await demo.controls();
  assert.ok(refusedRefreshCalls >= 1, `the replacement was asked for and refused (${refusedRefreshCalls})`);
  for (const page of pages) assert.equal((await state(page)).isAuthenticated, true, "the session holds");
  await demo.controls({ refreshMode: "ok" });
  await demo.advance([context], 65_000, { stepMs: 5_000, onStep: sample }); // past the longest backoff
  assert.ok(!seen.has("unauthenticated"), `no Convex client said unauthenticated: ${[...seen]}`);
  for (const page of pages) {
    await page.waitForSelector("#convex-auth:text('authenticated')");
    assert.notEqual(await page.evaluate(() => window.__session.getToken()), shared, "a new token");
  }
  const { refreshCalls } = await demo.controls();
  t.diagnostic(`${refusedRefreshCalls} refused attempt(s), then ${refreshCalls} refresh call(s) across both tabs`);
  await demo.controls({ rejectIssuedBeforeMs: 0 });
  await context.close();
});

test("a reused refresh token outside the reuse window signs out cleanly, without a retry loop", { timeout: 60_000 }, async () => {
  const { context, pages } = await signedInTabs("localStorage", 1);
  const [page] = pages;
  const old = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith("__convexAuth"))));
  const before = (await state(page)).expiresAt;
  await demo.advance([context], (LIFETIME - 9) * 1000); // the stored refresh token is used
  assert.notEqual((await state(page)).expiresAt, before, "refreshed");
  await demo.advance([context], 12_000); // past the 10 s reuse window
  await context.close();
  // Another browser replays the old tokens: the server revokes that branch and answers null.
  const replay = await demo.clockedContext(browser);
  await demo.useMode(replay, "localStorage");
  const tab = await replay.newPage();
  await tab.goto(demo.appUrl + "/");
  // Written once this page's session has started (signed out): it must not load them itself.
  await tab.waitForFunction(() => window.__session?.getState().isLoading === false);
  await tab.evaluate((entries) => {
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, old);
  await demo.controls({ refreshCalls: 0, refreshLog: [] });
  await tab.goto(demo.appUrl + "/local");
  await tab.waitForSelector("#signed-out", { timeout: 15_000 });
  await demo.advance([replay], 5_000);
  const s = await state(tab);
  assert.equal(s.isAuthenticated, false);
  assert.equal(s.lastError, null, "a clean sign-out, not an error");
  const replayed = Object.entries(old).find(([k]) => k.startsWith("__convexAuthRefreshToken"))[1];
  const { refreshLog } = await demo.controls();
  assert.deepEqual(refreshLog, [replayed], "one refresh with the replayed token, no loop");
  assert.deepEqual(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth"))), []);
  await replay.close();
});

test("a real-time smoke test: a 20 s token is refreshed by real timers before it expires", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  await demo.useMode(context, "localStorage");
  const page = await context.newPage();
  await demo.signUp(page, newEmail());
  await page.waitForURL("**/local");
  const first = (await state(page)).expiresAt;
  await page.waitForFunction((exp) => window.__session.getState().expiresAt !== exp, first, { timeout: 15_000 });
  assert.equal((await state(page)).hasToken, true);
  await context.close();
});
