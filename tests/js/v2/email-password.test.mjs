// Convex Auth 2's email + password method in real Chromium: our hooks
// (convex-auth-wasm/methods/email-password/react) against the local v2 deployment running the
// real 2.0.0 method, in spa mode and in ssr mode (our /auth routes on a plain host). Sign-up sends
// a validation link (the deployment's Resend stub records it: /__dev/mailbox); opening it in the
// browser that signed up starts the session, anywhere else it is `MISSING_SECRET`. Recovery and
// change of email go through their links the same way. The official provider runs the sign-up
// too: both keep the link's secret under the same key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { serveV2Page, buildV2Page, pageUrls } from "../support/v2-page.mjs";
import { startSsrApp } from "../support/ssr-app.mjs";

const PASSWORD = "correct horse battery";
let backend, browser, ssrApp, pageUrl;
const pages = {};

before(async () => {
  backend = await startBackendV2();
  browser = await launchChromium();
  pages.ours = await serveV2Page("ours");
  pages.official = await serveV2Page("official");
  pages.development = await serveV2Page("ours", { development: true });
  ssrApp = await startSsrApp(backend.cloudUrl, { implementation: "ours", pages: await buildV2Page("ours-ssr"), allowOwnOrigin: true });
  pageUrl = pageUrls(pages, backend.cloudUrl, ssrApp.origin);
});
after(async () => {
  await browser?.close();
  pages.ours?.close();
  pages.official?.close();
  pages.development?.close();
  await ssrApp?.stop();
  await backend?.stop();
});


let addresses = 0;
const newAddress = () => `user${Date.now()}x${addresses++}@example.com`;

const text = (page, selector, expected, timeout = 20_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });

/** The code of the last link the deployment emailed to `address`. */
async function emailedCode(address) {
  const mailbox = await (await fetch(`${backend.cloudUrl}/__dev/mailbox`)).json();
  const mail = mailbox.filter((m) => m.to.includes(address)).at(-1);
  assert.ok(mail, `an email to ${address}`);
  return new URL(mail.text.match(/https?:\/\/\S+/)[0]).searchParams.get("code");
}

async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  return { page, errors };
}

/** Signs `address` up in `context` on `kind`'s page and opens the emailed link there. */
async function signUpAndValidate(context, kind, address) {
  const { page } = await openPage(context, pageUrl[kind]());
  await text(page, "#auth", "unauthenticated");
  const started = await page.evaluate(([email, password]) => window.__auth.email.signUp({ email, password }), [address, PASSWORD]);
  assert.deepEqual(started, { success: true });
  await text(page, "#auth", "unauthenticated"); // no session before the link
  const landing = await openPage(context, pageUrl[kind](`&flow=signUp&code=${await emailedCode(address)}`));
  await text(landing.page, "#link", "complete");
  await text(landing.page, "#auth", "authenticated");
  await text(landing.page, "#me", address);
  return landing.page;
}

for (const kind of ["ours", "ssr"]) {
  test(`${kind}: sign-up starts the session on the emailed link's page only, in the browser that signed up`, { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    const address = newAddress();
    const { page: first } = await openPage(context, pageUrl[kind]());
    await text(first, "#auth", "unauthenticated");
    await first.evaluate(([email, password]) => window.__auth.email.signUp({ email, password }), [address, PASSWORD]);
    const code = await emailedCode(address);

    // Another browser: the secret is not there; nothing is spent.
    const elsewhere = await browser.newContext();
    const stranger = await openPage(elsewhere, pageUrl[kind](`&flow=signUp&code=${code}`));
    await text(stranger.page, "#link", "error:MISSING_SECRET");
    await text(stranger.page, "#auth", "unauthenticated");
    await elsewhere.close();

    const landing = await openPage(context, pageUrl[kind](`&flow=signUp&code=${code}`));
    await text(landing.page, "#link", "complete");
    await text(landing.page, "#auth", "authenticated");
    await text(landing.page, "#me", address);
    // The first tab follows (spa: the stored session; ssr: the cookie on its next refresh).
    if (kind === "ours") await text(first, "#auth", "authenticated");
    // The secret is spent: the link opened again completes nothing.
    const again = await openPage(context, pageUrl[kind](`&flow=signUp&code=${code}`));
    await text(again.page, "#link", "error:MISSING_SECRET");
    assert.deepEqual([...landing.errors, ...again.errors], []);
    await context.close();
  });

  test(`${kind}: sign-in by email; a wrong password is a user error, never a rejection`, { timeout: 90_000 }, async () => {
    const address = newAddress();
    const signedUp = await browser.newContext();
    await signUpAndValidate(signedUp, kind, address);
    await signedUp.close();

    const context = await browser.newContext();
    const { page, errors } = await openPage(context, pageUrl[kind]());
    await text(page, "#auth", "unauthenticated");
    const wrong = await page.evaluate((email) => window.__auth.email.signIn({ email, password: "not the password" }), address);
    assert.deepEqual(wrong, { status: "error", userError: { error: "INVALID_CREDENTIALS" } });
    await text(page, "#auth", "unauthenticated");
    const right = await page.evaluate(([email, password]) => window.__auth.email.signIn({ email, password }), [address, PASSWORD]);
    assert.equal(right.status, "complete");
    await text(page, "#auth", "authenticated");
    await text(page, "#me", address);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${kind}: password recovery through its link sets the new password and signs in`, { timeout: 90_000 }, async () => {
    const address = newAddress();
    const signedUp = await browser.newContext();
    await signUpAndValidate(signedUp, kind, address);
    await signedUp.close();

    const context = await browser.newContext();
    const { page } = await openPage(context, pageUrl[kind]());
    await text(page, "#auth", "unauthenticated");
    const started = await page.evaluate((email) => window.__auth.email.startPasswordRecovery({ email }), address);
    assert.equal(started.success, true, JSON.stringify(started));
    const landing = await openPage(context, pageUrl[kind](`&flow=recover&code=${await emailedCode(address)}`));
    await text(landing.page, "#link", "ready");
    const weak = await landing.page.evaluate(() => window.__recover("short"));
    assert.equal(weak.status, "error", JSON.stringify(weak));
    await text(landing.page, "#link", "ready"); // a weak password: try another, the link still works
    const done = await landing.page.evaluate(() => window.__recover("a brand new passphrase"));
    assert.equal(done.status, "complete", JSON.stringify(done));
    await text(landing.page, "#link", "complete");
    await text(landing.page, "#auth", "authenticated");
    await text(landing.page, "#me", address);
    assert.deepEqual(await landing.page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("RecoverySecret"))), [], "the spent secret is gone");

    const fresh = await browser.newContext();
    const check = await openPage(fresh, pageUrl[kind]());
    await text(check.page, "#auth", "unauthenticated");
    const old = await check.page.evaluate(([email, password]) => window.__auth.email.signIn({ email, password }), [address, PASSWORD]);
    assert.equal(old.status, "error");
    const renewed = await check.page.evaluate((email) => window.__auth.email.signIn({ email, password: "a brand new passphrase" }), address);
    assert.equal(renewed.status, "complete");
    await fresh.close();
    await context.close();
  });
}

test("ours under React.StrictMode (a development build: effects run twice): the link is redeemed once", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const address = newAddress();
  const { page } = await openPage(context, pageUrl.development("&strict=1"));
  await text(page, "#auth", "unauthenticated");
  await page.evaluate(([email, password]) => window.__auth.email.signUp({ email, password }), [address, PASSWORD]);
  await backend.controls({ reset: true });
  const landing = await openPage(context, pageUrl.development(`&strict=1&flow=signUp&code=${await emailedCode(address)}`));
  await text(landing.page, "#link", "complete");
  await text(landing.page, "#me", address);
  const { functionCalls } = await backend.controls();
  assert.equal(functionCalls["auth:completeSignUpWithEmailPassword"], 1);
  assert.deepEqual(landing.errors, []);
  await context.close();
});

test("ours: a change of email completes through the link sent to the new address", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const address = newAddress();
  const page = await signUpAndValidate(context, "ours", address);
  const next = newAddress();
  const started = await page.evaluate(([newEmail, currentPassword]) => window.__auth.email.startChangeEmail({ newEmail, currentPassword }), [next, PASSWORD]);
  assert.deepEqual(started, { success: true });
  const landing = await openPage(context, pageUrl.ours(`&flow=change&code=${await emailedCode(next)}`));
  await text(landing.page, "#link", "complete");
  await text(landing.page, "#me", next);
  await context.close();
});

test("ours: the deployment unreachable while the link's page opens — it waits, then completes; nothing is lost", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const address = newAddress();
  const { page } = await openPage(context, pageUrl.ours());
  await text(page, "#auth", "unauthenticated");
  await page.evaluate(([email, password]) => window.__auth.email.signUp({ email, password }), [address, PASSWORD]);
  const code = await emailedCode(address);
  await page.close();
  await backend.controls({ mode: "refuse" });
  try {
    const landing = await openPage(context, pageUrl.ours(`&flow=signUp&code=${code}`));
    // The Convex client has tried and failed to connect: the link is still waiting.
    await landing.page.waitForFunction(() => window.__convex.connectionState().connectionRetries >= 2, null, { timeout: 30_000 });
    assert.equal(await landing.page.textContent("#link"), "loading");
    await backend.controls({ mode: "ok" });
    await text(landing.page, "#link", "complete", 30_000);
    await text(landing.page, "#auth", "authenticated");
  } finally {
    await backend.controls({ mode: "ok" });
  }
  await context.close();
});

test("the official provider and ours keep the sign-up link's secret under the same key", { timeout: 60_000 }, async () => {
  const keys = {};
  for (const kind of ["ours", "official"]) {
    const context = await browser.newContext();
    const { page } = await openPage(context, pageUrl[kind]());
    await text(page, "#auth", "unauthenticated");
    await page.evaluate(([email, password]) => window.__auth.email.signUp({ email, password }), [newAddress(), PASSWORD]);
    keys[kind] = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("SignUpSecret")));
    await context.close();
  }
  const namespace = backend.cloudUrl.replace(/[^a-zA-Z0-9]/g, "");
  assert.deepEqual(keys.ours, [`__convexAuthEmailPasswordSignUpSecret_${namespace}`]);
  assert.deepEqual(keys.official, keys.ours);
});
