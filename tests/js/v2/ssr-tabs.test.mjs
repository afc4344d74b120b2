// ssr mode on driven time: five tabs of a React page under the browser half of
// ConvexAuthNextjsServerProvider (convex-auth-wasm/ssr/nextjs/client), served by a plain node:http
// host that mounts our /auth routes (convex-auth-wasm/ssr) on the same origin, against the local
// Convex Auth 2 deployment with 60 s tokens. The routes check no clock, so the browser's fake clock
// and the deployment's clock offset can drive ten minutes (a `next start` cannot: it verifies with
// its own clock). Counted at the deployment: one refresh per token lifetime across the tabs, no
// refresh token presented twice, no session revoked.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { startSsrApp } from "../support/ssr-app.mjs";
import { buildV2Page } from "../support/v2-page.mjs";

const backend = await startBackendV2();
const app = await startSsrApp(backend.cloudUrl, { implementation: "ours", pages: await buildV2Page("ours-ssr"), allowOwnOrigin: true });
const browser = await launchChromium();
after(async () => {
  await browser.close();
  await app.stop();
  await backend.stop();
});

const text = (page, selector, expected) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: 20_000 });

async function advance(context, ms) {
  for (let left = ms; left > 0; left -= 1000) {
    await backend.controls({ advanceMs: 1000 });
    await context.clock.runFor(1000);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("ssr mode: 5 tabs, 60 s tokens, 10 minutes of driven time — one refresh per token lifetime, none presented twice, no session revoked, cookies only", { timeout: 240_000 }, async () => {
  const context = await browser.newContext();
  await context.clock.install({ time: (await backend.controls()).now });
  const url = `${app.origin}/?cloud=${encodeURIComponent(backend.cloudUrl)}`;
  const first = await context.newPage();
  const errors = [];
  first.on("pageerror", (e) => errors.push(e));
  await first.goto(url);
  await text(first, "#auth", "unauthenticated");
  const username = `ssrtabs${Date.now()}`;
  const result = await first.evaluate((u) => window.__auth.signUp({ username: u, password: "correct horse battery" }), username);
  assert.equal(result.status, "complete", JSON.stringify(result));
  const tabs = [first];
  for (let i = 1; i < 5; i++) {
    const tab = await context.newPage();
    tab.on("pageerror", (e) => errors.push(e));
    await tab.goto(url);
    tabs.push(tab);
  }
  for (const tab of tabs) await text(tab, "#me", username);
  await backend.controls({ reset: true });
  await advance(context, 10 * 60_000);
  await advance(context, 3000);
  const { refreshCalls, refreshLog, revokedSessions } = await backend.controls();
  for (const tab of tabs) {
    assert.equal(await tab.textContent("#auth"), "authenticated");
    assert.equal(await tab.textContent("#me"), username);
  }
  console.log(`# ssr mode, 5 tabs × 10 min of 60 s tokens: ${refreshCalls} refreshes, ${refreshLog.length - new Set(refreshLog).size} presented twice, ${revokedSessions} revoked`);
  assert.equal(revokedSessions, 0);
  assert.equal(refreshLog.length - new Set(refreshLog).size, 0, "no refresh token presented twice");
  assert.ok(refreshCalls >= 19 && refreshCalls <= 21, `refreshes: ${refreshCalls} (expected 20 in 600 s)`);
  assert.equal(await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).length), 0, "no token in page storage");
  assert.deepEqual(errors, []);
  await context.close();
});
