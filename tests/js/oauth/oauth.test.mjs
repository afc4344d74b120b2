// OAuth end to end against a real OpenID Connect provider (oidc-provider on 127.0.0.2), through
// the real Convex Auth server code's OAuth routes, in headless Chromium: the app (127.0.0.1:A),
// the deployment's site (localhost:S) and the provider (127.0.0.2) — the return to the app comes
// from another site, as it does from GitHub or Google. No shortcuts: every hop is a redirect
// the browser follows. Code exchanges are counted at the backend.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../support/demo.mjs";
import { launchChromium } from "../support/browser.mjs";
import { OIDC_HOST, loopbackOnly, signInAtProvider, startOidcProvider } from "../support/oidc.mjs";
import { followLinkFromElsewhere } from "../support/foreign-site.mjs";

let demo;
let browser;
let oidc;
before(async () => {
  oidc = await startOidcProvider();
  // The site on `localhost`: Chromium keeps the OAuth routes' Secure cookies over http there
  // (not on 127.0.0.1), and it is a third site beside the app's and the provider's.
  demo = await startDemo({ backendEnv: { ...oidc.env, SITE_HOST: "localhost" } });
  oidc.configure(`${demo.siteUrl}/api/auth/callback/oidc`);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  demo?.stop();
  oidc?.close();
});

let logins = 0;
const newLogin = () => `oauth${Date.now()}x${logins++}`;

async function contextIn(mode) {
  const context = await browser.newContext();
  await loopbackOnly(context);
  await demo.useMode(context, mode);
  return context;
}

for (const [mode, home] of [["cookie", "/dashboard"], ["localStorage", "/local"]]) {
  test(`${mode} mode: signing in with the OpenID provider lands signed in, the code gone, one exchange`, { timeout: 60_000 }, async () => {
    const context = await contextIn(mode);
    const page = await context.newPage();
    await page.goto(demo.appUrl + "/");
    await page.waitForFunction(() => window.__session?.getState().isLoading === false);
    const returns = [];
    page.on("request", async (r) => {
      const url = new URL(r.url());
      if (r.isNavigationRequest() && url.origin === demo.appUrl && url.searchParams.has("code")) {
        returns.push((await r.allHeaders())["sec-fetch-site"]);
      }
    });
    await demo.controls({ signInCalls: 0 });
    await page.click("#sign-in-oidc");
    const login = newLogin();
    await signInAtProvider(page, login);
    await page.waitForURL((url) => url.pathname === home && !url.searchParams.has("code"), { timeout: 15_000 }).catch((e) => {
      throw new Error(`${e.message}\nat ${page.url()}\n${demo.logs().slice(-4000)}`);
    });
    await page.waitForSelector("#user-id", { timeout: 15_000 });
    assert.deepEqual(returns, ["cross-site"], "the code came back from another site");
    // The user's email, from the provider's ID token, through the deployment's users:me query.
    await page.waitForFunction((email) => document.querySelector("#me")?.textContent?.includes(email), `${login}@oidc.test`, { timeout: 15_000 });
    // The sign-in's start and the code's exchange: two auth:signIn calls, no more.
    assert.equal((await demo.controls()).signInCalls, 2);
    await context.close();
  });
}

const lastErrorCode = (page) => page.evaluate(() => window.__session.getState().lastError?.code ?? null);

/** Signs in through the provider from the home page as a new login; resolves with the user id. */
async function signedInWithProvider(page) {
  await page.goto(demo.appUrl + "/");
  await page.waitForFunction(() => window.__session?.getState().isLoading === false);
  await page.click("#sign-in-oidc");
  await signInAtProvider(page, newLogin());
  await page.waitForSelector("#user-id", { timeout: 15_000 });
  return page.textContent("#user-id");
}

for (const [mode, home] of [["cookie", "/dashboard"], ["localStorage", "/local"]]) {
  test(`${mode} mode: the sign-in refused at the provider is a clear error, not a silent nothing`, { timeout: 60_000 }, async () => {
    const context = await contextIn(mode);
    const page = await context.newPage();
    await page.goto(demo.appUrl + "/");
    await page.waitForFunction(() => window.__session?.getState().isLoading === false);
    await demo.controls({ signInCalls: 0 });
    await page.click("#sign-in-oidc");
    await page.waitForURL((url) => url.hostname === OIDC_HOST);
    await page.click("text=[ Cancel ]"); // error=access_denied back to the deployment, which sends the browser home with nothing
    await page.waitForURL((url) => url.origin === demo.appUrl, { timeout: 15_000 });
    await page.waitForFunction(() => (window.__session?.getState().lastError ?? null) !== null, null, { timeout: 15_000 });
    assert.equal(await lastErrorCode(page), "ERR_SIGN_IN_INCOMPLETE");
    assert.equal(await page.evaluate(() => window.__session.getState().isAuthenticated), false);
    assert.equal((await demo.controls()).signInCalls, 1, "the start only: nothing to exchange");
    if (mode === "cookie") {
      assert.match(await page.textContent("#last-error"), /ERR_SIGN_IN_INCOMPLETE/, "the page shows it");
      const names = (await context.cookies()).map((c) => c.name);
      assert.ok(!names.some((n) => n.includes("OAuthVerifier") || n.includes("SignInError")), `spent: ${names}`);
      // Shown once: a reload is a clean page.
      await page.reload();
      await page.waitForFunction(() => window.__session?.getState().isLoading === false);
      assert.equal(await lastErrorCode(page), null);
    }
    assert.ok(page.url().startsWith(demo.appUrl + (mode === "cookie" ? "/" : home)));
    await context.close();
  });

  test(`${mode} mode: a replayed code is a clear error and the session stays`, { timeout: 60_000 }, async () => {
    const context = await contextIn(mode);
    const page = await context.newPage();
    const codes = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (r.isNavigationRequest() && url.origin === demo.appUrl && url.searchParams.has("code")) codes.push(r.url());
    });
    const userId = await signedInWithProvider(page);
    assert.equal(codes.length, 1);
    await page.goto(codes[0]); // the spent code again (a back button, a shared link)
    await page.waitForFunction(() => (window.__session?.getState().lastError ?? null) !== null, null, { timeout: 15_000 });
    assert.equal(await lastErrorCode(page), "ERR_SIGN_IN_FAILED");
    assert.doesNotMatch(page.url(), /code=/, "the spent code left the address bar");
    await page.waitForSelector("#user-id");
    assert.equal(await page.textContent("#user-id"), userId, "still signed in as before");
    await context.close();
  });
}

test("cookie mode: a sign-in link from another site never switches a signed-in browser to another account", { timeout: 60_000 }, async () => {
  const context = await contextIn("cookie");
  const page = await context.newPage();
  const userId = await signedInWithProvider(page);
  // An attacker's own magic link (login CSRF), sent to the victim from elsewhere.
  const attacker = `attacker${Date.now()}@example.com`;
  const res = await fetch(`${demo.appUrl}/api/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ action: "auth:signIn", args: { provider: "magic-link", params: { email: attacker, redirectTo: "/dashboard" } } }),
  });
  assert.equal(res.status, 200);
  const link = (await demo.mail()).filter((m) => m.to === attacker).pop();
  await demo.controls({ signInCalls: 0 });
  await followLinkFromElsewhere(page, link.url);
  await page.waitForFunction(() => (window.__session?.getState().lastError ?? null) !== null, null, { timeout: 15_000 });
  assert.equal(await lastErrorCode(page), "ERR_SIGN_IN_FAILED");
  await page.waitForSelector("#user-id");
  assert.equal(await page.textContent("#user-id"), userId, "still the user's own account");
  assert.equal((await demo.controls()).signInCalls, 0, "the code was never sent");
  await context.close();
});
