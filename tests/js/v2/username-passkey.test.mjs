// Convex Auth 2's username + passkey method in real Chromium with a virtual WebAuthn authenticator
// (the DevTools protocol's, standing in for the user's device: it signs real P-256 assertions):
// our hooks (convex-auth-wasm/methods/username-passkey/react) against the local v2 deployment
// running the real 2.0.0 method (relying party `localhost`), in spa mode and in ssr mode (our
// /auth routes). Counted at the deployment: the finish mutations each flow calls. The official
// provider signs in with the passkey our hooks registered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { serveV2Page, buildV2Page } from "../support/v2-page.mjs";
import { startSsrApp } from "../support/ssr-app.mjs";
import { freePortPair } from "../support/ports.mjs";

let backend, browser, ssrApp;
const pages = {};
/** WebAuthn takes no IP address as relying party: the pages are opened on localhost. */
const onLocalhost = (url) => url.replace("//127.0.0.1:", "//localhost:");

before(async () => {
  // The pages first: their origins are the deployment's allowed passkey origins (the ssr host's
  // port is picked now, the host itself needs the deployment's URL).
  pages.ours = await serveV2Page("ours");
  pages.official = await serveV2Page("official");
  const [ssrPort] = await freePortPair();
  const origin = (page) => new URL(onLocalhost(page.url("http://unused"))).origin;
  const origins = [origin(pages.ours), origin(pages.official), `http://localhost:${ssrPort}`];
  backend = await startBackendV2({ env: { AUTH_ORIGINS: origins.join(",") } });
  const ssrPages = await buildV2Page("ours-ssr");
  ssrApp = await startSsrApp(backend.cloudUrl, { implementation: "ours", pages: ssrPages, allowOwnOrigin: true, port: ssrPort, hostname: "localhost" });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  pages.ours?.close();
  pages.official?.close();
  await ssrApp?.stop();
  await backend?.stop();
});

// The modal ceremonies' tests turn the autofill off: the virtual authenticator answers an
// autofill request at once, as if the user picked the passkey (its own test below).
const pageUrl = {
  ours: (extra = "&autofill=0") => onLocalhost(pages.ours.url(backend.cloudUrl)) + extra,
  official: () => onLocalhost(pages.official.url(backend.cloudUrl)),
  ssr: (extra = "&autofill=0") => `${ssrApp.origin}/?cloud=${encodeURIComponent(backend.cloudUrl)}${extra}`,
};

let names = 0;
const newUsername = () => `pk${Date.now()}x${names++}`;
const text = (page, selector, expected, timeout = 20_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });
const finishes = async () => {
  const { functionCalls } = await backend.controls();
  return { signUp: functionCalls["auth:finishSignUpWithUsernamePasskey"] ?? 0, signIn: functionCalls["auth:finishSignInWithUsernamePasskey"] ?? 0 };
};

/** A page of `kind` with a virtual authenticator (user verification on, presence automatic),
 *  holding `credential` (one exported from another page's) when given. */
async function pageWithAuthenticator(kind, context, { url = pageUrl[kind](), credential, signedOut = true } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  if (credential) await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
  await page.goto(url);
  if (signedOut) await text(page, "#auth", "unauthenticated");
  return { page, errors, cdp, authenticatorId };
}

const passkey = (page, method, arg) => page.evaluate(([m, a]) => window.__auth.passkey[m](a), [method, arg]);

for (const kind of ["ours", "ssr"]) {
  test(`${kind}: a free username signs up with a new passkey; after sign-out the passkey signs in`, { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    const { page, errors, cdp, authenticatorId } = await pageWithAuthenticator(kind, context);
    const username = newUsername();
    await backend.controls({ reset: true });
    const signedUp = await passkey(page, "signIn", { username });
    assert.equal(signedUp.status, "complete", JSON.stringify(signedUp));
    assert.equal(signedUp.flow, "signUp");
    await text(page, "#auth", "authenticated");
    await text(page, "#me", username);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, "localhost");

    await page.evaluate(() => window.__auth.signOut());
    await text(page, "#auth", "unauthenticated");
    const signedIn = await passkey(page, "signIn", { username });
    assert.equal(signedIn.status, "complete", JSON.stringify(signedIn));
    assert.equal(signedIn.flow, "signIn");
    assert.equal(signedIn.username, username);
    await text(page, "#me", username);
    assert.deepEqual(await finishes(), { signUp: 1, signIn: 1 });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("ours: the method's edges — a second call while one runs, a refused verification, the same authenticator twice, the last passkey", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const { page, errors, cdp, authenticatorId } = await pageWithAuthenticator("ours", context);
  const username = newUsername();
  const [first, second] = await page.evaluate((u) => Promise.all([window.__auth.passkey.signIn({ username: u }), window.__auth.passkey.signIn({ username: u })]), username);
  assert.equal(first.status, "complete", JSON.stringify(first));
  assert.deepEqual(second, { status: "error", userError: { error: "ALREADY_PENDING" } });
  await text(page, "#me", username);

  // The authenticator already holds this user's passkey: it refuses to make another.
  const again = await passkey(page, "add");
  assert.deepEqual(again, { success: false, userError: { error: "PASSKEY_ALREADY_REGISTERED" } });
  const { success: listed, passkeys } = await page.evaluate(() => window.__convex.query("auth:listPasskeys", {}));
  assert.equal(listed, true);
  assert.equal(passkeys.length, 1);
  const lastOne = await passkey(page, "remove", passkeys[0].passkeyId);
  assert.deepEqual(lastOne, { success: false, userError: { error: "LAST_PASSKEY" } });

  // The user does not verify (a cancelled prompt): the ceremony's error, nothing signed out.
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  await page.evaluate(() => window.__auth.signOut());
  await text(page, "#auth", "unauthenticated");
  const refused = await passkey(page, "signIn", { username });
  assert.equal(refused.status, "error");
  assert.ok(["CEREMONY_ABORTED", "PROTOCOL_ERROR"].includes(refused.userError.error), JSON.stringify(refused));
  await text(page, "#auth", "unauthenticated");
  // A username the deployment refuses never reaches the authenticator.
  const blank = await passkey(page, "signIn", { username: " padded " });
  assert.deepEqual(blank, { status: "error", userError: { error: "USERNAME_HAS_SURROUNDING_WHITESPACE" } });
  assert.deepEqual(errors, []);
  await context.close();
});

test("ours: a passkey added on another device removes the first", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const { page, errors, cdp, authenticatorId } = await pageWithAuthenticator("ours", context);
  const username = newUsername();
  assert.equal((await passkey(page, "signIn", { username })).status, "complete");
  await text(page, "#me", username);
  // The proof uses the first passkey; the new one must come from an authenticator that does not
  // hold it (a second device): once the proof is signed, the test takes it off this one.
  const { credentials: [first] } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  cdp.once("WebAuthn.credentialAsserted", () => void cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: first.credentialId }));
  // (The proof's verification is a round trip to the deployment: the removal lands before it ends.)
  const added = await passkey(page, "add");
  assert.equal(added.success, true, JSON.stringify(added));
  const { passkeys } = await page.evaluate(() => window.__convex.query("auth:listPasskeys", {}));
  assert.equal(passkeys.length, 2);
  const old = passkeys.find((p) => p.passkeyId !== added.passkeyId);
  const removed = await passkey(page, "remove", old.passkeyId);
  assert.deepEqual(removed, { success: true });
  assert.equal((await page.evaluate(() => window.__convex.query("auth:listPasskeys", {}))).passkeys.length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("ours: the autofill signs a signed-out page in with the picked passkey, once; signed in, it asks nothing", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const first = await pageWithAuthenticator("ours", context);
  const username = newUsername();
  assert.equal((await passkey(first.page, "signIn", { username })).flow, "signUp");
  const { credentials } = await first.cdp.send("WebAuthn.getCredentials", { authenticatorId: first.authenticatorId });
  await first.page.evaluate(() => window.__auth.signOut());
  await text(first.page, "#auth", "unauthenticated");
  await backend.controls({ reset: true });

  // A page with the autofill on, its authenticator holding the passkey: the virtual authenticator
  // answers the autofill request at once, as a user picking the passkey would.
  const { page, errors } = await pageWithAuthenticator("ours", context, { url: pageUrl.ours(""), credential: credentials[0], signedOut: false });
  await text(page, "#autofill", "signedIn");
  await text(page, "#auth", "authenticated");
  await text(page, "#me", username);
  await text(first.page, "#me", username); // the other tab follows the stored session
  // Signed in, a reload asks for nothing: the authenticator would have answered at once.
  await page.reload();
  await text(page, "#me", username);
  assert.equal(await page.textContent("#autofill"), "idle");
  assert.deepEqual(await finishes(), { signUp: 0, signIn: 1 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the official 2.0.0 provider signs in with the passkey our hooks registered (same deployment, same credential)", { timeout: 90_000 }, async () => {
  const context = await browser.newContext();
  const ours = await pageWithAuthenticator("ours", context);
  const username = newUsername();
  assert.equal((await passkey(ours.page, "signIn", { username })).status, "complete");
  const { credentials } = await ours.cdp.send("WebAuthn.getCredentials", { authenticatorId: ours.authenticatorId });
  const officialContext = await browser.newContext();
  // The credential joins after the page loaded: the official autofill (always on) has stopped by
  // then (an empty virtual authenticator refuses at once), so the modal ceremony signs in.
  const official = await pageWithAuthenticator("official", officialContext);
  await official.cdp.send("WebAuthn.addCredential", { authenticatorId: official.authenticatorId, credential: credentials[0] });
  const result = await passkey(official.page, "signIn", { username });
  assert.equal(result.status, "complete", JSON.stringify(result));
  assert.equal(result.flow, "signIn");
  await text(official.page, "#me", username);
  await officialContext.close();
  await context.close();
});
