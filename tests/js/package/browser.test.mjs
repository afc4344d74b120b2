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
    import { readStoredSession, resolveSiteRequest } from "convex-auth-wasm/client";
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
