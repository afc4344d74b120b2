// A Convex Auth 2 app written as the official README sets one up (tests/js/fixtures/v2-official:
// the ssr routes, `setupConvexAuthNextjs`, `ConvexAuthNextjsServerProvider` in the root layout, a
// proxy guarding /dashboard, the username + password hooks), built twice with `next build`: as
// written on the official 2.0.0 (the control), and with its imports changed to convex-auth-wasm
// and nothing else. The same browser script drives both against the local v2 deployment.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { launchChromium } from "../support/browser.mjs";
import { buildFixture, startBuilt } from "../support/next.mjs";

/** The migration: `@convex-dev/auth/<entry>` (installed here as `@convex-dev/auth-v2`) becomes `convex-auth-wasm/<entry>`. */
const migrate = (source) => source.replaceAll(/(["'])@convex-dev\/auth-v2\//g, "$1convex-auth-wasm/");

const backend = await startBackendV2();
const official = buildFixture("v2-official", { as: "v2-as-written" });
const migrated = buildFixture("v2-official", { as: "v2-migrated", transform: migrate });
const browser = await launchChromium();
after(async () => {
  await browser.close();
  await backend.stop();
});

const text = (page, selector, expected) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: 15_000 });

async function script(app) {
  const server = await startBuilt(app, { CONVEX_URL: backend.cloudUrl });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + "/");
    await text(page, "#auth", "unauthenticated");
    const username = `migrated${Date.now()}`;
    await page.fill("#username", username);
    await page.click("#sign-up");
    await text(page, "#result", "complete");
    await text(page, "#auth", "authenticated");
    await text(page, "#me", username);
    await backend.controls({ reset: true });
    await page.goto(server.url + "/dashboard");
    await text(page, "#server", "signed in");
    const checks = (await backend.controls()).functionCalls["auth:isAuthenticated"] ?? 0;
    await page.goto(server.url + "/");
    await text(page, "#auth", "authenticated");
    await page.click("#sign-out");
    await text(page, "#auth", "unauthenticated");
    // The session ends on the page at once (ours) or after the route (2.0.0); the route's answer
    // clears the cookies: wait for it.
    const authCookies = async () => (await context.cookies()).filter((c) => c.name.startsWith("__convexAuth") && c.value !== "");
    for (let i = 0; i < 50 && (await authCookies()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const left = await authCookies();
    await page.goto(server.url + "/dashboard");
    const redirected = new URL(page.url()).pathname;
    await context.close();
    return { checks, left: left.length, redirected };
  } finally {
    await server.stop();
  }
}

test("the official v2 app, as written and migrated by import path only: both build and pass the same script", { timeout: 300_000 }, async () => {
  assert.deepEqual(migrated.changed.sort(), ["app/account.tsx", "auth.ts"], "the files whose imports changed");
  const theirs = await script(official.app);
  const ours = await script(migrated.app);
  console.log(`# /dashboard (proxy, server component, session watcher): official ${theirs.checks} isAuthenticated calls, ours ${ours.checks}`);
  for (const run of [theirs, ours]) {
    assert.equal(run.left, 0, "sign-out cleared the cookies");
    assert.equal(run.redirected, "/", "signed out, the proxy redirects");
  }
  // The one call ours makes is the browser's session watcher (its live `isAuthenticated` query),
  // as the official one does; the proxy's and the server component's checks are local.
  assert.ok(ours.checks <= 1, `ours: ${ours.checks} (only the session watcher's subscription)`);
  // The official proxy's check and the page's are made before the page is served: at least 2.
  assert.ok(theirs.checks >= 2, `the official proxy and page ask the deployment: ${theirs.checks}`);
});
