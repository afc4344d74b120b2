// OAuth end to end against a real OpenID Connect provider (oidc-provider on 127.0.0.2), through
// the real Convex Auth server code's OAuth routes, in headless Chromium: the app (127.0.0.1:A),
// the deployment's site (localhost:S) and the provider (127.0.0.2) — the return to the app comes
// from another site, as it does from GitHub or Google. No shortcuts: every hop is a redirect
// the browser follows. Code exchanges are counted at the backend.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo } from "../support/demo.mjs";
import { launchChromium } from "../support/browser.mjs";
import { loopbackOnly, signInAtProvider, startOidcProvider } from "../support/oidc.mjs";

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
    assert.equal(JSON.parse(await page.textContent("#me")).email, `${login}@oidc.test`);
    // The sign-in's start and the code's exchange: two auth:signIn calls, no more.
    assert.equal((await demo.controls()).signInCalls, 2);
    await context.close();
  });
}
