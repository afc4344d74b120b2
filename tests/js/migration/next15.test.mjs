// An app written for @convex-dev/auth 0.0.95 on Next.js 15 / React 18 / convex 1.17
// (tests/migration/next15), built twice with its own Next.js: as written, on the official package
// (the control), and with its imports changed to convex-auth-wasm and nothing else. The same
// browser script drives both against the local backend (real Convex Auth server code): sign-up,
// the middleware's redirects, a server component, a route handler, a reload, a client navigation
// to live queries, sign-out, and a refused sign-in's message.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startBackend } from "../support/backend.mjs";
import { launchChromium } from "../support/browser.mjs";
import { buildFixtureApp, fixtureNext } from "../support/migration.mjs";
import { startBuilt } from "../support/next.mjs";
import { freePort } from "../support/ports.mjs";
import { PASSWORD, emails } from "../support/demo.mjs";

let backend;
let browser;
const appPort = await freePort();
// Browsed as `localhost`, as apps are in development: Next.js 15's middleware sees
// `request.nextUrl` on localhost whatever the host it listens on, so its redirects go there.
const appUrl = `http://localhost:${appPort}`;
before(async () => {
  backend = await startBackend({ appUrl });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  backend?.stop();
});

const newEmail = emails("migration");
const text = (page, selector, expected) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout: 15_000 });
const meFromRouteHandler = (page) => page.evaluate(() => fetch("/api/me").then(async (r) => ({ status: r.status, ...(await r.json()) })));

/** Clicks until the page has hydrated and the click took effect (`done` says so). */
async function clickUntil(page, selector, done) {
  for (let i = 0; !(await page.evaluate(done)); i++) {
    if (i === 50) throw new Error(`${selector}: no effect`);
    await page.click(selector);
    await page.waitForTimeout(100);
  }
}

/** The browser script both builds must pass; resolves with what a refused sign-in showed. */
async function useTheApp() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = newEmail();
  await page.goto(`${appUrl}/product`);
  await page.waitForURL("**/signin"); // the middleware's redirect, signed out
  assert.equal((await meFromRouteHandler(page)).status, 401);
  await clickUntil(page, "#switch-flow", () => document.querySelector("h1")?.textContent === "Sign up");
  await page.fill("#signin-form input[name=email]", email);
  await page.fill("#signin-form input[name=password]", PASSWORD);
  await page.click("#signin-form button[type=submit]");
  await page.waitForURL("**/product");
  await text(page, "#server-email", email); // the server component saw the user
  assert.deepEqual(await meFromRouteHandler(page), { status: 200, signedIn: true, email });
  await page.reload();
  await text(page, "#server-email", email);
  await page.click("#to-notes"); // a client navigation: the Convex client is authenticated
  await page.waitForURL("**/product/notes");
  await text(page, "#client-auth", "authenticated");
  await text(page, "#client-email", email);
  await page.fill("#note-text", "written after the migration");
  await page.click("#add-note");
  await text(page, "#notes li", "written after the migration");
  await page.click("#to-product");
  await text(page, "#server-email", email);
  await page.goto(`${appUrl}/signin`);
  await page.waitForURL("**/product"); // signed in: the middleware sends the sign-in page away
  await page.click("#sign-out");
  await page.waitForURL("**/signin");
  await page.goto(`${appUrl}/product`);
  await page.waitForURL("**/signin");
  assert.equal((await meFromRouteHandler(page)).status, 401);
  // A wrong password: the page shows what the sign-in rejected with.
  await page.fill("#signin-form input[name=email]", email);
  await page.fill("#signin-form input[name=password]", "not the password");
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#signin-error");
  const refused = await page.textContent("#signin-error");
  await context.close();
  return { refused };
}

const controls = async (change) =>
  (await fetch(`${backend.cloudUrl}/__test/controls`, change ? { method: "POST", body: JSON.stringify(change) } : {})).json();

/** Builds the fixture (migrated or not), runs the script; counts the calls the deployment saw. */
async function buildAndUse(migrated) {
  const { app, changedLines } = buildFixtureApp("next15", { migrated, convexUrl: backend.cloudUrl });
  const server = await startBuilt(app, {}, appPort, fixtureNext);
  try {
    await controls({ signInCalls: 0, refreshCalls: 0, functionCalls: {} });
    const seen = await useTheApp();
    const { signInCalls, refreshCalls, functionCalls } = await controls();
    return { ...seen, changedLines, calls: { signInCalls, refreshCalls, functionCalls } };
  } catch (e) {
    e.message += `\n--- app ---\n${server.output().slice(-3000)}\n--- backend ---\n${backend.logs().slice(-3000)}`;
    throw e;
  } finally {
    await server.stop();
  }
}

let official;
test("control: the app as written passes the browser script on @convex-dev/auth 0.0.95", { timeout: 180_000 }, async (t) => {
  official = await buildAndUse(false);
  t.diagnostic(`official: ${JSON.stringify(official.calls)}; a refused sign-in shows ${JSON.stringify(official.refused)}`);
});

test("migrated by import path only, the same app passes the same script on convex-auth-wasm", { timeout: 180_000 }, async (t) => {
  const migrated = await buildAndUse(true);
  assert.ok(migrated.changedLines.length >= 5, `imports changed: ${migrated.changedLines.length}`);
  for (const line of migrated.changedLines) assert.match(line, /^(import .*)?\}? ?from "convex-auth-wasm\/(nextjs\/server|nextjs|react)";$/, line);
  t.diagnostic(`migrated: ${JSON.stringify(migrated.calls)}`);
  if (!official) return;
  assert.equal(migrated.refused, official.refused, "a refused sign-in shows the official text");
  assert.ok(migrated.calls.refreshCalls <= official.calls.refreshCalls, "no more refresh calls than the official package");
  assert.equal(migrated.calls.functionCalls["auth:isAuthenticated"] ?? 0, 0, "every auth check is local");
});
