// Convex Auth 2 tokens minted by the local v2 deployment (the real @convex-dev/auth 2.0.0),
// verified by convex-auth-wasm/edge in real headless Chromium: the `browser` entry bundled by
// esbuild, its .wasm fetched beside the bundle; WebCrypto for `verify`, the wasm `p256` path for
// `verifySync`; a tampered token and the all-zero signature refused on both.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runBundleInChromium } from "../support/browser.mjs";
import { signUpV2, startBackendV2 } from "../support/backend-v2.mjs";

const backend = await startBackendV2();
after(() => backend.stop());

test("Chromium verifies the local v2 deployment's token with { convexUrl } (WebCrypto and wasm) and refuses forged ones", { timeout: 60_000 }, async () => {
  const { token, session } = await signUpV2(backend.cloudUrl, "chromium");
  const [h, p] = token.split(".");
  const psychic = `${h}.${p}.${Buffer.alloc(64).toString("base64url")}`;
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), sub: "x" })).toString("base64url")}.${token.split(".")[2]}`;
  const { result, errors } = await runBundleInChromium("www-edge-v2", "edge", `
    import { createVerifier } from "convex-auth-wasm/edge";
    const config = { convexUrl: ${JSON.stringify(backend.cloudUrl)}, jwks: ${JSON.stringify(backend.jwks)}, cacheSize: 0 };
    const verifier = createVerifier(config);
    const outcome = async (run) => { try { const id = await run(); return [id.userId, id.sessionId]; } catch (e) { return e.code; } };
    const all = {};
    for (const [name, t] of Object.entries(${JSON.stringify({ token, psychic, tampered })})) {
      all[name] = [await outcome(() => verifier.verify(t)), await outcome(async () => verifier.verifySync(t))];
    }
    window.__result = { crypto: verifier.crypto, all };`);
  const { crypto, all } = result;
  assert.deepEqual(errors, []);
  assert.equal(crypto, "webcrypto");
  assert.deepEqual(all.token, [[null, session], [null, session]], "verify (WebCrypto) and verifySync (wasm)");
  assert.deepEqual(all.psychic, ["ERR_JWT_SIGNATURE_INVALID", "ERR_JWT_SIGNATURE_INVALID"]);
  assert.deepEqual(all.tampered, ["ERR_JWT_SIGNATURE_INVALID", "ERR_JWT_SIGNATURE_INVALID"]);
});
