// The demo's Convex Auth 2 pages (www/app/v2) in real Chromium, against the local v2 deployment
// (the real @convex-dev/auth 2.0.0) beside the 0.x one: spa mode (the React provider with `api`,
// localStorage) and ssr mode (the v2 routes' httpOnly cookies, the server provider, the proxy
// guarding /v2/ssr/dashboard with a locally verified JWT). Sign-up and sign-in with the username
// + password hooks, live notes across tabs, the /whoami HTTP action through the authed fetch on
// the site origin, sign-out in every tab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, withDemo } from "../support/demo.mjs";

let demo;
let browser;
withDemo({ v2: true }, (d, b) => ([demo, browser] = [d, b]));

let users = 0;
const text = (page, selector, expected, timeout = 15_000) =>
  page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent === e, [selector, expected], { timeout });

async function signUp(page, path, username) {
  await page.goto(demo.appUrl + path);
  await text(page, "#v2-auth", "unauthenticated");
  await page.fill("#v2-signin input[name=username]", username);
  await page.fill("#v2-signin input[name=password]", PASSWORD);
  await page.click("#v2-sign-up");
}

for (const [mode, path, home] of [["spa", "/v2", "/v2"], ["ssr", "/v2/ssr", "/v2/ssr/dashboard"]]) {
  test(`v2 ${mode} mode: sign-up, live notes in two tabs, the HTTP action on the site origin, sign-out everywhere`, { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    const errors = [];
    first.on("pageerror", (e) => errors.push(e));
    const username = `demo${mode}${Date.now()}x${users++}`;
    await signUp(first, path, username);
    await first.waitForURL(`**${home}`);
    await text(first, "#v2-me", username);
    if (mode === "ssr") {
      assert.equal(await first.textContent("#v2-server-check"), "server: signed in (verified locally)");
      const cookies = (await context.cookies()).filter((c) => c.name.startsWith("__convexAuth"));
      assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly]).sort(), [["__convexAuthJWT", true], ["__convexAuthRefreshToken", true]]);
      assert.equal(await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuthRefresh")).length), 0);
    } else {
      assert.equal(await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).length), 2);
    }
    const second = await context.newPage();
    await second.goto(demo.appUrl + home);
    await text(second, "#v2-me", username);
    await second.fill("#v2-note-text", `from the second ${mode} tab`);
    await second.click("#v2-add-note");
    await text(first, "#v2-notes-state", "1 note(s)");
    await first.click("#v2-whoami");
    await first.waitForSelector("#v2-whoami-result");
    const whoami = await first.textContent("#v2-whoami-result");
    assert.match(whoami, /^200 \{"sessionId":"[^"]+","issuer":"http:\/\/127\.0\.0\.1:\d+\/components\/auth"\}$/);
    await first.click("#v2-sign-out");
    await text(second, "#v2-auth", "unauthenticated");
    if (mode === "ssr") {
      await first.waitForURL(`**/v2/ssr`); // the page leaves once signOut() resolved
      assert.deepEqual((await context.cookies()).filter((c) => c.name.startsWith("__convexAuth")), [], "the route cleared the cookies");
      const guarded = await context.newPage();
      await guarded.goto(demo.appUrl + "/v2/ssr/dashboard");
      assert.equal(new URL(guarded.url()).pathname, "/v2/ssr", "the proxy sends a signed-out visitor to sign in");
    }
    assert.deepEqual(errors, []);
    const { revokedSessions } = await demo.v2.controls();
    assert.equal(revokedSessions, 0);
    await context.close();
  });
}

test("v2: a wrong password is the method's error on the page, not a sign-out or an exception", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const username = `demowrong${Date.now()}`;
  await signUp(page, "/v2", username);
  await page.waitForSelector("#v2-me");
  await page.click("#v2-sign-out");
  await text(page, "#v2-auth", "unauthenticated");
  await page.fill("#v2-signin input[name=username]", username);
  await page.fill("#v2-signin input[name=password]", "not the password");
  await page.click("#v2-sign-in");
  await page.waitForSelector("#v2-error");
  assert.match(await page.textContent("#v2-error"), /^[A-Z_]+$/);
  assert.equal(await page.textContent("#v2-auth"), "unauthenticated");
  assert.deepEqual(errors, [], "no exception on the page");
  // The right password still signs in afterwards.
  await page.fill("#v2-signin input[name=password]", PASSWORD);
  await page.click("#v2-sign-in");
  await text(page, "#v2-me", username);
  await context.close();
});

test("v2: the official 2.0.0 provider and ours on the same keys — switch back and forth, nobody signed out, one session", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const username = `demoswitch${Date.now()}`;
  await signUp(page, "/v2", username);
  await text(page, "#v2-me", username);
  const keys = () => page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith("__convexAuth")).sort());
  const sessionOf = (entries) => {
    const [, jwt] = entries.find(([k]) => k.startsWith("__convexAuthJWT_"));
    return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()).sub;
  };
  const before = await keys();
  await page.goto(demo.appUrl + "/v2/official");
  await text(page, "#v2-me", username);
  await page.fill("#v2-note-text", "written under the official provider");
  await page.click("#v2-add-note");
  await text(page, "#v2-notes-state", "1 note(s)");
  await page.goto(demo.appUrl + "/v2");
  await text(page, "#v2-me", username);
  await text(page, "#v2-notes-state", "1 note(s)");
  const after = await keys();
  assert.deepEqual(after.map(([k]) => k), before.map(([k]) => k), "the same two keys");
  assert.equal(sessionOf(after), sessionOf(before), "one session throughout (the JWT's sub)");
  const { revokedSessions } = await demo.v2.controls();
  assert.equal(revokedSessions, 0);
  await context.close();
});

test("v2 spa: email + password — sign-up emails a link (the local mailbox on the page), the link's page signs the user in", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(demo.appUrl + "/v2");
  await text(page, "#v2-auth", "unauthenticated");
  const email = `demo${Date.now()}x${users++}@example.com`;
  await page.fill("#v2-email-form input[name=email]", email);
  await page.fill("#v2-email-form input[name=password]", PASSWORD);
  await page.click("#v2-email-sign-up");
  await page.waitForSelector("#v2-email-message");
  assert.equal(await page.textContent("#v2-auth"), "unauthenticated");
  await page.click(`#v2-mailbox li:has-text("${email}") a`);
  await page.waitForURL("**/v2/email/validate?code=*");
  await page.waitForFunction(() => document.querySelector("#v2-link")?.textContent.startsWith("Your email is validated"));
  await page.goto(demo.appUrl + "/v2");
  await text(page, "#v2-me", email);
  assert.deepEqual(errors, []);
  await context.close();
});

test("v2 spa: username + passkey (a virtual authenticator) — sign-up lists the passkey; signed out, the autofill signs back in", { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(demo.localhostUrl + "/v2"); // WebAuthn's relying party is localhost
  await text(page, "#v2-auth", "unauthenticated");
  const username = `passkey${Date.now()}x${users++}`;
  await page.fill("#v2-passkey-form input[name=username]", username);
  await page.click("#v2-passkey-sign-in");
  await text(page, "#v2-me", username);
  await page.waitForSelector("#v2-passkeys li");
  assert.equal(await page.locator("#v2-passkeys li").count(), 1);
  const passkeySignIns = async () => (await demo.v2.controls()).functionCalls["auth:finishSignInWithUsernamePasskey"] ?? 0;
  const before = await passkeySignIns();
  await page.click("#v2-sign-out");
  // Signed out, the username field's autofill asks for a passkey; the virtual authenticator
  // answers at once (a user would pick it), and the page is signed in again.
  for (const deadline = Date.now() + 15_000; (await passkeySignIns()) === before && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await passkeySignIns(), before + 1);
  await text(page, "#v2-me", username);
  assert.deepEqual(errors, []);
  await context.close();
});
