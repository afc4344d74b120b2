// Convex Auth 2's OAuth in real Chromium: our `oauth()` ambient sign-in and GitHub hook
// (convex-auth-wasm/methods/github/react) against the local v2 deployment running the real 2.0.0
// GitHub method — its start and completion mutations and its component's callback
// (/oauth/github/callback, served from the component's own router). GitHub is not reachable here:
// the test plays its authorize page (a redirect to the callback with a code naming the user), and
// the deployment answers GitHub's token and user endpoints itself (www/backend-v2/fake-github.ts).
// spa and ssr mode; the return is redeemed once, its parameters leave the address bar, a refused
// or stray return is published as `useOauth().flowError`, never a silent nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { serveV2Page, buildV2Page, pageUrls } from "../support/v2-page.mjs";
import { startSsrApp } from "../support/ssr-app.mjs";
import { freePortPair } from "../support/ports.mjs";

let backend, browser, ssrApp, pageUrl;
const pages = {};

before(async () => {
  // The pages first: their origins are the deployment's allowed redirect origins.
  pages.ours = await serveV2Page("ours");
  pages.official = await serveV2Page("official");
  pages.development = await serveV2Page("ours", { development: true });
  const [ssrPort] = await freePortPair();
  const origin = (page) => new URL(page.url("http://unused")).origin;
  const origins = [origin(pages.ours), origin(pages.official), origin(pages.development), `http://127.0.0.1:${ssrPort}`];
  backend = await startBackendV2({ env: { AUTH_ORIGINS: origins.join(",") } });
  ssrApp = await startSsrApp(backend.cloudUrl, { implementation: "ours", pages: await buildV2Page("ours-ssr"), allowOwnOrigin: true, port: ssrPort });
  pageUrl = pageUrls(pages, backend.cloudUrl, ssrApp.origin);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const page of Object.values(pages)) page.close();
  await ssrApp?.stop();
  await backend?.stop();
});

const text = (page, selector, expected, timeout = 20_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });
const completions = async () => (await backend.controls()).functionCalls["auth:completeSignInWithGithub"] ?? 0;
let logins = 0;
const newLogin = () => `octo${Date.now() % 1e6}x${logins++}`;

/** A context where GitHub's authorize page sends the user back at once: with `code=<login>`, or
 *  with `error` (the user refused). The authorize URLs it saw are kept. */
async function contextAtGithub({ login, error } = {}) {
  const context = await browser.newContext();
  const authorizeUrls = [];
  await context.route("https://github.com/login/oauth/authorize**", (route) => {
    const asked = new URL(route.request().url());
    authorizeUrls.push(asked);
    const back = new URL(asked.searchParams.get("redirect_uri"));
    back.searchParams.set("state", asked.searchParams.get("state"));
    if (error) back.searchParams.set("error", error);
    else back.searchParams.set("code", login);
    return route.fulfill({ status: 302, headers: { location: back.href } });
  });
  return { context, authorizeUrls };
}

async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  await text(page, "#auth", "unauthenticated");
  return { page, errors };
}

for (const kind of ["ours", "ssr"]) {
  test(`${kind}: "Sign in with GitHub" leaves for GitHub and comes back signed in; the code leaves the address bar, redeemed once`, { timeout: 60_000 }, async () => {
    const { context, authorizeUrls } = await contextAtGithub({ login: newLogin() });
    const { page, errors } = await openPage(context, pageUrl[kind]("&from=home"));
    const before = await completions();
    await page.evaluate(() => void window.__auth.github());
    await text(page, "#auth", "authenticated");
    await text(page, "#me", "github");
    assert.equal(authorizeUrls.length, 1);
    assert.equal(authorizeUrls[0].searchParams.get("code_challenge_method"), "S256");
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("convexAuthCode"), null, "the code left the address bar");
    assert.equal(url.searchParams.get("from"), "home", "the rest of the page's URL is kept");
    assert.equal(await completions(), before + 1);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("Provider_oauth"))), [], "the flow is spent");
    assert.equal(await page.textContent("#oauth-error"), "");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("ours: the user refuses at GitHub — ACCESS_DENIED is shown, still signed out, nothing redeemed", { timeout: 60_000 }, async () => {
  const { context } = await contextAtGithub({ error: "access_denied" });
  const { page } = await openPage(context, pageUrl.ours());
  const before = await completions();
  await page.evaluate(() => void window.__auth.github());
  await text(page, "#oauth-error", "ACCESS_DENIED");
  assert.equal(new URL(page.url()).searchParams.get("convexAuthError"), null, "the error left the address bar");
  await text(page, "#auth", "unauthenticated"); // (the page's session loads after the error is shown)
  assert.equal(await completions(), before);
  await context.close();
});

test("ours: GitHub refuses the code at the token exchange — OTHER_ERROR is shown, still signed out", { timeout: 60_000 }, async () => {
  const { context } = await contextAtGithub({ login: "refused" });
  const { page } = await openPage(context, pageUrl.ours());
  await page.evaluate(() => void window.__auth.github());
  await text(page, "#oauth-error", "OTHER_ERROR");
  await text(page, "#auth", "unauthenticated"); // (the page's session loads after the error is shown)
  await context.close();
});

test("ours: a return opened in another browser is INVALID_FLOW (no call), EXPIRED beside that browser's own flow; the right browser redeems it once", { timeout: 60_000 }, async () => {
  // The user stops at GitHub; the callback's answer (the return with a code) is taken elsewhere.
  const context = await browser.newContext();
  await context.route("https://github.com/login/oauth/authorize**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>GitHub</p>" }));
  const { page } = await openPage(context, pageUrl.ours());
  await Promise.all([page.waitForURL("https://github.com/**"), page.evaluate(() => void window.__auth.github())]);
  const asked = new URL(page.url());
  const callback = new URL(asked.searchParams.get("redirect_uri"));
  callback.searchParams.set("state", asked.searchParams.get("state"));
  callback.searchParams.set("code", newLogin());
  const answer = await fetch(callback, { redirect: "manual" });
  assert.equal(answer.status, 302);
  const returned = answer.headers.get("location");
  assert.ok(new URL(returned).searchParams.get("convexAuthCode"));
  const before = await completions();
  const elsewhere = await browser.newContext();
  const stranger = await elsewhere.newPage();
  await stranger.goto(returned);
  await text(stranger, "#oauth-error", "INVALID_FLOW");
  await text(stranger, "#auth", "unauthenticated"); // (the page's session loads after the error is shown)
  assert.equal(await completions(), before);

  // A browser with a flow of its own (an attacker's return URL pushed to a victim mid-sign-in):
  // the code is bound to the other flow's state — refused, signed out.
  await elsewhere.route("https://github.com/login/oauth/authorize**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>GitHub</p>" }));
  const victim = await elsewhere.newPage();
  await victim.goto(pageUrl.ours());
  await text(victim, "#auth", "unauthenticated");
  await Promise.all([victim.waitForURL("https://github.com/**"), victim.evaluate(() => void window.__auth.github())]);
  await victim.goto(returned);
  await text(victim, "#oauth-error", "EXPIRED");
  await text(victim, "#auth", "unauthenticated"); // (the page's session loads after the error is shown)
  assert.equal(await completions(), before + 1, "the deployment refused the code for this state");

  // The right browser still redeems it (a refused state leaves the ticket).
  await page.goto(returned);
  await text(page, "#auth", "authenticated");
  // And the same return again: the flow is spent.
  const again = await context.newPage();
  await again.goto(returned);
  await text(again, "#oauth-error", "INVALID_FLOW");
  await elsewhere.close();
  await context.close();
});

test("ours under React.StrictMode (a development build: effects run twice): the return is redeemed once", { timeout: 60_000 }, async () => {
  const { context } = await contextAtGithub({ login: newLogin() });
  const { page, errors } = await openPage(context, pageUrl.development("&strict=1"));
  const before = await completions();
  await page.evaluate(() => void window.__auth.github());
  await text(page, "#auth", "authenticated");
  assert.equal(await completions(), before + 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the official provider and ours keep the pending flow under the same key, and each completes the same GitHub sign-in", { timeout: 60_000 }, async () => {
  const keys = {};
  const login = newLogin();
  for (const kind of ["official", "ours"]) {
    // First a stop at GitHub, to read what the page kept.
    const held = await browser.newContext();
    await held.route("https://github.com/login/oauth/authorize**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>GitHub</p>" }));
    const { page } = await openPage(held, pageUrl[kind]());
    await Promise.all([page.waitForURL("https://github.com/**"), page.evaluate(() => void window.__auth.github())]);
    await page.goBack();
    keys[kind] = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("Provider_oauth")));
    await held.close();
    // Then the whole round trip: the same GitHub user is the same app user.
    const { context } = await contextAtGithub({ login });
    const round = await openPage(context, pageUrl[kind]());
    await round.page.evaluate(() => void window.__auth.github());
    await text(round.page, "#auth", "authenticated");
    await text(round.page, "#me", "github");
    await context.close();
  }
  const namespace = backend.cloudUrl.replace(/[^a-zA-Z0-9]/g, "");
  assert.deepEqual(keys.ours, [`__convexAuthProvider_oauth_flow_${namespace}`]);
  assert.deepEqual(keys.official, keys.ours);
});
