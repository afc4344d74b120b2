// convex-auth-wasm/browser's AuthClient with `ambientSignIns: { signIns: [oauth()] }` (no React) in
// real Chromium against the local v2 deployment's GitHub method: the client's `oauth` values start
// the sign-in, the page GitHub sends back to is redeemed by `init()` — signed in, the code gone
// from the address bar — and a refusal is published as its `flowError`. GitHub's authorize page is
// played by the test and its endpoints by the deployment (www/backend-v2/fake-github.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { bundlePage, launchChromium, serveDirectory } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";

let server, backend, browser;
before(async () => {
  const page = await bundlePage("v2-auth-client-oauth", "client", `
    import { AuthClient } from "convex-auth-wasm/browser";
    import { oauth } from "convex-auth-wasm/methods/oauth/react";
    import { ConvexHttpClient } from "convex/browser";
    import { anyApi as api } from "convex/server";
    const cloud = new URLSearchParams(location.search).get("cloud");
    const http = new ConvexHttpClient(cloud);
    const calls = { mutation: (fn, args) => http.mutation(fn, args), action: (fn, args) => http.action(fn, args) };
    const auth = new AuthClient({ mode: "spa", storage: localStorage, storageNamespace: cloud, ambientSignIns: { signIns: [oauth()], signInApi: calls, convex: calls } });
    const values = auth.ambientSignInValues("oauth");
    window.__start = () => void values.get("actions").signIn({ providerName: "github", startSignIn: api.auth.startSignInWithGithub, completeSignIn: api.auth.completeSignInWithGithub });
    window.__state = () => ({ ...auth.getSnapshot(), flowError: values.get("flowError")?.error ?? null, url: location.href });
    await auth.init();
    window.__ready = true;
  `);
  server = await serveDirectory(page);
  backend = await startBackendV2({ env: { AUTH_ORIGINS: server.url } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
  await backend?.stop();
});

/** A context where GitHub's authorize page sends the user back at once (a code, or `error`). */
async function contextAtGithub(error) {
  const context = await browser.newContext();
  await context.route("https://github.com/login/oauth/authorize**", (route) => {
    const asked = new URL(route.request().url());
    const back = new URL(asked.searchParams.get("redirect_uri"));
    back.searchParams.set("state", asked.searchParams.get("state"));
    back.searchParams.set(error ? "error" : "code", error ?? `octo${Date.now() % 1e6}`);
    return route.fulfill({ status: 302, headers: { location: back.href } });
  });
  return context;
}

const state = (page) => page.evaluate(() => window.__state());
const until = (page, check) => page.waitForFunction(check, null, { timeout: 20_000 });

test("AuthClient + oauth(): the return from GitHub is redeemed by init(); the code leaves the address bar", { timeout: 60_000 }, async () => {
  const context = await contextAtGithub();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/?cloud=${encodeURIComponent(backend.cloudUrl)}`);
  await until(page, () => window.__ready && !window.__state().isLoading);
  assert.equal((await state(page)).isAuthenticated, false);
  await backend.controls({ reset: true });
  await page.evaluate(() => window.__start());
  await until(page, () => window.__ready && window.__state().isAuthenticated);
  const after = await state(page);
  assert.equal(new URL(after.url).searchParams.get("convexAuthCode"), null);
  assert.equal(after.flowError, null);
  assert.equal((await backend.controls()).functionCalls["auth:completeSignInWithGithub"], 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("AuthClient + oauth(): a refusal at GitHub is its flowError, ACCESS_DENIED; still signed out", { timeout: 60_000 }, async () => {
  const context = await contextAtGithub("access_denied");
  const page = await context.newPage();
  await page.goto(`${server.url}/?cloud=${encodeURIComponent(backend.cloudUrl)}`);
  await until(page, () => window.__ready && !window.__state().isLoading);
  await page.evaluate(() => window.__start());
  await until(page, () => window.__ready && window.__state().flowError === "ACCESS_DENIED");
  const after = await state(page);
  assert.equal(after.isAuthenticated, false);
  assert.equal(new URL(after.url).searchParams.get("convexAuthError"), null);
  await context.close();
});
