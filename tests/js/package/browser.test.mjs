// The browser entry in real headless Chromium, bundled by esbuild with the `browser` condition,
// the .wasm fetched beside the bundle (as a bundler emits it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeToken } from "../support/package.mjs";
import { runBundleInChromium } from "../support/browser.mjs";

test("convex-auth-wasm/client loads in Chromium and reads real localStorage", async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = fakeToken({ sub: "u1|s1", iat: now, exp: now + 3600, aud: "convex" });
  const { result, errors } = await runBundleInChromium("www", "client", `
    import { ready, readStoredSession, resolveSiteRequest } from "convex-auth-wasm/client";
    await ready();
    localStorage.setItem("__convexAuthJWT_httpsa1convexcloud", ${JSON.stringify(token)});
    localStorage.setItem("__convexAuthRefreshToken_httpsa1convexcloud", "r1");
    let refused;
    try { resolveSiteRequest({ convexUrl: "https://a-1.convex.cloud" }, "https://evil.com"); }
    catch (e) { refused = e.code; }
    window.__result = { session: readStoredSession("https://a-1.convex.cloud"), refused };`);
  const { session, refused } = result;
  assert.deepEqual(errors, []);
  assert.equal(session.userId, "u1");
  assert.equal(session.refreshToken, "r1");
  assert.equal(refused, "ERR_FOREIGN_ORIGIN");
});

test("the browser entry never holds up the page: a session made before the module arrives starts when it does", async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = fakeToken({ sub: "u1|s1", iat: now, exp: now + 3600, aud: "convex" });
  let wasmServedAt = null;
  const { result, errors } = await runBundleInChromium("www-lazy", "client", `
    import { ready, SessionManager, storageKeys } from "convex-auth-wasm/client";
    localStorage.setItem("__convexAuthJWT_httpsa1convexcloud", ${JSON.stringify(token)});
    localStorage.setItem("__convexAuthRefreshToken_httpsa1convexcloud", "r1");
    const evaluatedAt = Date.now();
    // Made at once, as an app's module scope or a provider's first effect does.
    const session = new SessionManager({ convexUrl: "https://a-1.convex.cloud" });
    const before = session.getState();
    let notified = null;
    session.subscribe((state) => (notified ??= state.isAuthenticated));
    let early;
    try { storageKeys("https://a-1.convex.cloud"); early = "answered"; } catch (e) { early = e.code; }
    const token = await session.fetchAccessToken();
    await ready();
    window.__result = { evaluatedAt, before, after: session.getState(), notified, early, token, keys: storageKeys("https://a-1.convex.cloud") };
    session.dispose();`, {
    // The .wasm answers 1.5 s late: the module's own code must have run long before.
    beforeLoad: (page) => page.route("**/*.wasm", async (route) => {
      const response = await route.fetch();
      await new Promise((ok) => setTimeout(ok, 1500));
      wasmServedAt = Date.now();
      await route.fulfill({ response });
    }),
  });
  assert.deepEqual(errors, []);
  assert.ok(wasmServedAt - result.evaluatedAt > 1000, `the page's module ran ${wasmServedAt - result.evaluatedAt} ms before the wasm was served`);
  assert.equal(result.before.isLoading, true);
  assert.equal(result.before.isAuthenticated, false);
  assert.equal(result.after.isLoading, false);
  assert.equal(result.after.isAuthenticated, true, "the stored session, read once the module arrived");
  assert.equal(result.notified, true, "subscribers hear of the start");
  assert.equal(result.token, token, "fetchAccessToken waited for the module, then answered from storage");
  assert.equal(result.keys.jwt, "__convexAuthJWT_httpsa1convexcloud");
  // Before the module, the wasm functions beside SessionManager cannot answer (await ready()).
  assert.equal(result.early, "ERR_MODULE_NOT_READY");
});
