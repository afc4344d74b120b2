// convex-auth-wasm/browser's AuthClient (Convex Auth 2's names) in real Chromium against the local
// v2 deployment: the app's own `authApi` (a class instance: its methods keep `this`) makes the
// refresh, counted at the deployment; an `authApi` that resolves `undefined` or rejects keeps the
// session; sign-out ends it at the deployment; an asynchronous store; a malformed ambient sign-in refused.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runBundleInChromium } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";

const backend = await startBackendV2();
after(() => backend.stop());

test("AuthClient with the app's authApi: refresh, a broken refreshSession keeps the session, sign-out, async storage", { timeout: 90_000 }, async () => {
  await backend.controls({ reset: true });
  const { result, errors } = await runBundleInChromium("v2-auth-client", "client", `
    import { AuthClient } from "convex-auth-wasm/browser";
    const cloud = ${JSON.stringify(backend.cloudUrl)};
    const call = async (path, args) => {
      const res = await fetch(cloud + "/api/mutation", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path, args, format: "json" }) });
      const body = await res.json();
      if (body.status !== "success") throw new Error(body.errorMessage);
      return body.value;
    };
    class Api {
      calls = 0;
      broken = false;
      async refreshSession(refreshToken) { this.calls++; if (this.broken) return undefined; return call("auth:refreshSession", { refreshToken }); }
      async signOut(refreshToken) { await call("auth:signOut", { refreshToken }); }
    }
    const out = {};
    const api = new Api();
    const auth = new AuthClient({ mode: "spa", authApi: api, storage: localStorage, storageNamespace: cloud });
    await auth.init();
    out.initial = auth.getSnapshot();
    const signedUp = await call("auth:signUpWithUsernamePassword", { username: "client" + Date.now(), password: "correct horse battery" });
    await auth.setSession(signedUp.tokens);
    out.afterSetSession = auth.getSnapshot().isAuthenticated;
    const first = await auth.fetchAccessToken({ forceRefreshToken: false });
    const second = await auth.fetchAccessToken({ forceRefreshToken: true });
    out.rotated = first !== null && second !== null && first !== second;
    out.apiCalls = api.calls;
    api.broken = true;
    const callsBefore = api.calls;
    const third = auth.fetchAccessToken({ forceRefreshToken: true });
    out.brokenAnswer = await Promise.race([third, new Promise((r) => setTimeout(() => r("waiting"), 3000))]);
    out.brokenCalls = api.calls - callsBefore; // retried with backoff (1 s, then 2 s)
    out.stillSignedIn = auth.getSnapshot().isAuthenticated;
    api.broken = false;
    out.recovered = (await third) !== null && (await third) !== second; // the next attempt succeeds
    out.refreshKey = Object.keys(localStorage).some((k) => k.startsWith("__convexAuthRefreshToken_"));
    await auth.signOut();
    out.afterSignOut = auth.getSnapshot().isAuthenticated;
    out.storageLeft = Object.keys(localStorage).filter((k) => k.startsWith("__convexAuth")).length;
    try { new AuthClient({ mode: "spa", authApi: api, storage: localStorage, storageNamespace: cloud, ambientSignIns: { signIns: [{}] } }); out.ambient = "accepted"; } catch (e) { out.ambient = e.code; }
    const map = new Map();
    const asyncStore = { getItem: async (k) => map.get(k) ?? null, setItem: async (k, v) => void map.set(k, v), removeItem: async (k) => void map.delete(k) };
    const other = new AuthClient({ mode: "spa", authApi: api, storage: asyncStore, storageNamespace: "app" });
    await other.init();
    const fresh = await call("auth:signUpWithUsernamePassword", { username: "async" + Date.now(), password: "correct horse battery" });
    await other.setSession(fresh.tokens);
    await new Promise((r) => setTimeout(r, 50));
    out.asyncStored = [...map.keys()].sort();
    window.__result = out;`);
  assert.deepEqual(errors, []);
  assert.deepEqual(result.initial, { isLoading: false, isAuthenticated: false, token: null });
  assert.equal(result.afterSetSession, true);
  assert.equal(result.rotated, true, "a forced fetch refreshed through the app's authApi");
  assert.equal(result.apiCalls, 1);
  assert.equal(result.brokenAnswer, "waiting", "an undefined answer is retried, never null");
  assert.ok(result.brokenCalls >= 2, `retried: ${result.brokenCalls} calls`);
  assert.equal(result.recovered, true, "the refresh after the fix gives a new token");
  assert.equal(result.stillSignedIn, true);
  assert.equal(result.refreshKey, true);
  assert.equal(result.afterSignOut, false);
  assert.equal(result.storageLeft, 0);
  assert.equal(result.ambient, "ERR_CONFIG_INVALID");
  assert.deepEqual(result.asyncStored, ["__convexAuthJWT_app", "__convexAuthRefreshToken_app"]);
  const { refreshCalls, revokedSessions } = await backend.controls();
  assert.equal(refreshCalls, 2, "one refresh, then the one after the fix (the broken calls never reached the deployment)");
  assert.equal(revokedSessions, 0);
});
