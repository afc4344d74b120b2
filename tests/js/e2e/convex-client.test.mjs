// End to end with the real `convex` client: the demo's pages run ConvexReactClient under
// convex-auth-wasm/react, against the local backend's WebSocket sync protocol (real Convex Auth
// server code behind it). Live queries across tabs, sign-out, a rejected token, a restart, and
// switching to and from the official provider on the same keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emails, withDemo } from "../support/demo.mjs";

let demo;
let browser;
withDemo({ jwtLifetime: 3600 }, (d, b) => ([demo, browser] = [d, b]));

const newEmail = emails("live");
const text = (page, selector, expected, timeout = 10_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });

/** A signed-up user in `mode`, with `count` tabs on the dashboard, each live on its socket. */
async function liveTabs(mode, count, context) {
  context ??= await demo.clockedContext(browser);
  await demo.useMode(context, mode);
  const home = mode === "cookie" ? "/dashboard" : "/local";
  const first = await context.newPage();
  await demo.signUp(first, newEmail());
  await first.waitForURL("**" + home, { timeout: 10_000 }).catch(async (e) => {
    throw new Error(`${e.message}\n#error: ${await first.textContent("#error").catch(() => "-")}\n${demo.logs().slice(-3000)}`);
  });
  const pages = [first];
  for (let i = 1; i < count; i++) {
    const page = await context.newPage();
    await page.goto(demo.appUrl + home);
    pages.push(page);
  }
  for (const page of pages) {
    await text(page, "#convex-auth", "authenticated");
    await text(page, "#notes-state", "0 note(s)");
  }
  return { context, pages };
}

async function addNote(page, note) {
  await page.fill("#note-text", note);
  await page.click("#add-note");
}

const notesOf = (page) => page.$$eval("#notes li", (items) => items.map((li) => li.textContent));

for (const mode of ["localStorage", "cookie"]) {
  test(`${mode} mode: a live per-user query updates in every tab; sign-out ends it everywhere`, { timeout: 60_000 }, async () => {
    const { context, pages } = await liveTabs(mode, 2);
    const [first, second] = pages;
    await addNote(second, "written in the second tab");
    await text(first, "#notes-state", "1 note(s)");
    assert.deepEqual(await notesOf(first), ["written in the second tab"]);
    // Another user sees none of them.
    const other = await liveTabs(mode, 1);
    assert.deepEqual(await notesOf(other.pages[0]), []);
    await other.context.close();
    // Sign-out in one tab: the other's Convex client is unauthenticated and the query says so.
    await first.click("#sign-out");
    await text(second, "#convex-auth", "unauthenticated");
    await text(second, "#notes-state", "signed out: no notes");
    await first.waitForFunction(() => location.pathname === "/" && document.readyState === "complete");
    await context.close();
  });
}

test("a backend restart: every tab reconnects and re-authenticates, and stays live", { timeout: 60_000 }, async () => {
  const { context, pages } = await liveTabs("cookie", 2);
  const { openSockets: before } = await demo.controls();
  await demo.controls({ dropSockets: true, refreshCalls: 0 });
  await pages[0].waitForFunction(() => window.__convex.connectionState().connectionCount >= 2, null, { timeout: 15_000 });
  await pages[1].waitForFunction(() => window.__convex.connectionState().connectionCount >= 2, null, { timeout: 15_000 });
  const { openSockets: after, authenticatesPerSocket, refreshCalls } = await demo.controls();
  assert.equal(after.filter((i) => !before.includes(i)).length >= 2, true, "new sockets");
  for (const i of after.filter((i) => !before.includes(i))) assert.equal(authenticatesPerSocket[i], 1, "re-authenticated once");
  assert.equal(refreshCalls, 0, "the token it had was still good: no refresh");
  await addNote(pages[0], "after the restart");
  await text(pages[1], "#notes-state", "1 note(s)");
  await context.close();
});

// The tests below move the deployment's clock: cookie mode's proxy.ts (real clock) would see
// tokens from the future, so they run in localStorage mode, after the others.
test("a rejected token (rotated key) goes through the AuthError path and comes back with a fresh one", { timeout: 60_000 }, async () => {
  const context = await demo.clockedContext(browser);
  const { pages } = await liveTabs("localStorage", 1, context);
  const [page] = pages;
  await addNote(page, "before the rotation");
  await text(page, "#notes-state", "1 note(s)");
  const before = await page.evaluate(() => window.__session.getState().expiresAt);
  // From now on the deployment refuses every token issued so far; the socket reconnects.
  await demo.controls({ rejectIssuedBeforeMs: (await demo.controls()).now, refreshCalls: 0 });
  await demo.advance([context], 2_000);
  await demo.controls({ dropSockets: true });
  await demo.advance([context], 5_000, { stepMs: 500 });
  await text(page, "#convex-auth", "authenticated");
  await text(page, "#notes-state", "1 note(s)");
  const after = await page.evaluate(() => window.__session.getState());
  assert.notEqual(after.expiresAt, before, "a fresh token");
  assert.equal(after.isAuthenticated, true);
  const { refreshCalls } = await demo.controls();
  assert.equal(refreshCalls, 1, "one refresh replaced the rejected token");
  await addNote(page, "after the rotation");
  await text(page, "#notes-state", "2 note(s)");
  await demo.controls({ rejectIssuedBeforeMs: 0 });
  await context.close();
});

test("a rejected token with no session left behind it signs out", { timeout: 60_000 }, async () => {
  const context = await demo.clockedContext(browser);
  const { pages } = await liveTabs("localStorage", 1, context);
  const [page] = pages;
  // The session ends on the server (signed out elsewhere), and its JWT is refused from now on.
  const jwt = await page.evaluate(() => window.__session.getToken());
  const res = await fetch(`${demo.cloudUrl}/api/action`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ path: "auth:signOut", args: {}, format: "json" }),
  });
  assert.equal(res.status, 200, await res.text());
  await demo.controls({ rejectIssuedBeforeMs: (await demo.controls()).now + 1000, dropSockets: true });
  await demo.advance([context], 5_000, { stepMs: 500 });
  await text(page, "#convex-auth", "unauthenticated");
  await page.waitForSelector("#signed-out");
  assert.equal(await page.evaluate(() => window.__session.getState().lastError), null, "a clean sign-out");
  await demo.controls({ rejectIssuedBeforeMs: 0 });
  await context.close();
});

test("switching to the official provider and back signs nobody out (the same localStorage keys)", { timeout: 60_000 }, async () => {
  const { context, pages } = await liveTabs("localStorage", 1);
  const [page] = pages;
  await addNote(page, "kept across libraries");
  await text(page, "#notes-state", "1 note(s)");
  await page.goto(demo.appUrl + "/official");
  await text(page, "#convex-auth", "authenticated");
  await text(page, "#notes-state", "1 note(s)");
  await addNote(page, "written by the official provider");
  await text(page, "#notes-state", "2 note(s)");
  await page.goto(demo.appUrl + "/local");
  await text(page, "#convex-auth", "authenticated");
  await text(page, "#notes-state", "2 note(s)");
  await context.close();
});
