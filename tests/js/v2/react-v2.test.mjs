// Convex Auth 2 in real Chromium: the React provider (`convex-auth-wasm/react` with `api`) and the
// username + password hooks, five tabs on ConvexReactClient against the local v2 deployment (the
// real @convex-dev/auth 2.0.0) — counted at the deployment: refreshes, the refresh tokens they
// presented, sessions revoked by reuse detection. Time is driven with fake clocks in the browser
// and the deployment together (requests are real). The official 2.0.0 provider runs the same
// script on the same deployment for the figures beside ours.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { serveV2Page } from "../support/v2-page.mjs";

const TABS = 5;
let backend, browser;
const pages = {};

before(async () => {
  backend = await startBackendV2();
  browser = await launchChromium();
  pages.ours = await serveV2Page("ours");
  pages.official = await serveV2Page("official");
});
after(async () => {
  await browser?.close();
  pages.ours?.close();
  pages.official?.close();
  await backend?.stop();
});

let users = 0;
const text = (page, selector, expected, timeout = 15_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });

/** A context on the deployment's clock with `count` tabs of `provider`'s page, signed up as a new
 *  user in the first and authenticated in all. */
async function signedInTabs(provider, count = TABS) {
  const context = await browser.newContext();
  await context.clock.install({ time: (await backend.controls()).now });
  const url = pages[provider].url(backend.cloudUrl);
  const username = `${provider}${Date.now()}x${users++}`;
  const first = await context.newPage();
  const errors = [];
  first.on("pageerror", (e) => errors.push(e));
  await first.goto(url);
  await text(first, "#auth", "unauthenticated");
  const result = await first.evaluate((u) => window.__auth.signUp({ username: u, password: "correct horse battery" }), username);
  assert.equal(result.status, "complete", JSON.stringify(result));
  const tabs = [first];
  for (let i = 1; i < count; i++) {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e));
    await page.goto(url);
    tabs.push(page);
  }
  await signedInEverywhere(tabs, username);
  return { context, tabs, username, errors };
}

/** Every tab shows the user signed in. */
async function signedInEverywhere(tabs, username) {
  for (const tab of tabs) {
    await text(tab, "#auth", "authenticated");
    await text(tab, "#me", username);
  }
}

/** Moves the deployment's clock and the context's together, `ms` in steps of `stepMs`. */
async function advance(context, ms, stepMs = 1000) {
  for (let left = ms; left > 0; left -= stepMs) {
    const step = Math.min(stepMs, left);
    await backend.controls({ advanceMs: step });
    await context.clock.runFor(step);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ten minutes of 60 s tokens in `TABS` tabs: what the deployment saw. */
async function tenMinutes(provider) {
  const { context, tabs, username, errors } = await signedInTabs(provider);
  await backend.controls({ reset: true });
  await advance(context, 10 * 60_000);
  await advance(context, 3000, 500); // let the last refresh's answers land
  const { refreshCalls, refreshLog, revokedSessions } = await backend.controls();
  const states = await Promise.all(tabs.map((t) => t.evaluate(() => [document.querySelector("#auth").textContent, document.querySelector("#me").textContent])));
  await context.close();
  return { refreshCalls, presentedTwice: refreshLog.length - new Set(refreshLog).size, revokedSessions, states, username, errors };
}

const figures = {};

test("ours: 5 tabs, 60 s tokens, 10 minutes — no session revoked, each refresh token presented once, one refresh per token lifetime", { timeout: 240_000 }, async () => {
  const run = (figures.ours = await tenMinutes("ours"));
  assert.deepEqual(run.errors, []);
  assert.equal(run.revokedSessions, 0, "no session deleted by reuse detection");
  assert.equal(run.presentedTwice, 0, "no refresh token presented twice");
  // A 60 s token is refreshed 30 s before it expires: one refresh per 30 s across all tabs.
  assert.ok(run.refreshCalls >= 19 && run.refreshCalls <= 21, `refreshes: ${run.refreshCalls} (expected 20 in 600 s)`);
  for (const state of run.states) assert.deepEqual(state, ["authenticated", run.username]);
});

test("the official 2.0.0 provider, same script, same deployment (figures beside ours)", { timeout: 240_000 }, async () => {
  const run = (figures.official = await tenMinutes("official"));
  console.log(`# 5 tabs × 10 min of 60 s tokens — ours: ${JSON.stringify({ ...figures.ours, states: undefined, errors: undefined })}`);
  console.log(`# official 2.0.0:                    ${JSON.stringify({ ...run, states: undefined, errors: undefined })}`);
  assert.ok(figures.ours.refreshCalls <= run.refreshCalls + 1, "ours refreshes no more often than the official provider");
});

for (const mode of ["503", "refuse"]) {
  test(`an outage (${mode}) across a refresh window signs no tab out; the session resumes with no token presented twice`, { timeout: 120_000 }, async () => {
    const { context, tabs, username } = await signedInTabs("ours", 3);
    await backend.controls({ reset: true, mode });
    await advance(context, 90_000); // past the token's expiry: every refresh attempt fails
    for (const tab of tabs) assert.equal(await tab.textContent("#auth"), "authenticated", "still signed in during the outage");
    await backend.controls({ mode: "ok" });
    await advance(context, 70_000);
    await signedInEverywhere(tabs, username);
    const { revokedSessions, refreshLog } = await backend.controls();
    assert.equal(revokedSessions, 0);
    assert.equal(refreshLog.length - new Set(refreshLog).size, 0, "no refresh token presented twice");
    await context.close();
  });
}

test("a slow deployment (3 s per answer, within the refresh timeout): one refresh, no tab signed out", { timeout: 60_000 }, async () => {
  const { context, tabs, username } = await signedInTabs("ours", 3);
  await backend.controls({ reset: true, mode: "slow", slowMs: 3000 });
  await advance(context, 31_000); // the refresh is due (30 s before expiry) and sent
  await new Promise((r) => setTimeout(r, 4000)); // the answer comes 3 s later (the page's clock stands still)
  await backend.controls({ mode: "ok" });
  await advance(context, 5000);
  await signedInEverywhere(tabs, username);
  const { refreshCalls, revokedSessions } = await backend.controls();
  assert.equal(revokedSessions, 0);
  assert.equal(refreshCalls, 1);
  await context.close();
});

test("a session revoked at the deployment signs every tab out (the session watcher); setSession refuses a half session", { timeout: 60_000 }, async () => {
  const { context, tabs } = await signedInTabs("ours", 2);
  const refused = await tabs[0].evaluate(async () => {
    if (!window.__auth.token) return "no token to offer";
    try {
      await window.__auth.setSession({ accessToken: window.__auth.token }); // no refresh token
      return "accepted";
    } catch (e) {
      return `${e.code}: ${e.message}`;
    }
  });
  assert.match(refused, /^ERR_SESSION_INVALID: .*no refreshToken/);
  const refreshToken = await tabs[0].evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith("__convexAuthRefreshToken_"))[1]);
  const res = await fetch(`${backend.cloudUrl}/api/mutation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signOut", args: { refreshToken }, format: "json" }),
  });
  assert.equal(res.status, 200);
  for (const tab of tabs) await text(tab, "#auth", "unauthenticated");
  assert.equal(await tabs[1].evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).length), 0, "storage cleared");
  await context.close();
});

test("sign-out during an outage ends the session in every tab and reports ERR_SIGN_OUT_UNCONFIRMED", { timeout: 60_000 }, async () => {
  const { context, tabs } = await signedInTabs("ours", 2);
  await backend.controls({ mode: "503" });
  const outcome = await tabs[0].evaluate(() => window.__auth.signOut().then(() => "confirmed", (e) => e.code));
  await backend.controls({ mode: "ok" });
  assert.equal(outcome, "ERR_SIGN_OUT_UNCONFIRMED");
  for (const tab of tabs) await text(tab, "#auth", "unauthenticated");
  await context.close();
});
