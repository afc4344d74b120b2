// The edge entry under the npm `edge-runtime` package with wasm code generation disabled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runOnEdge, bundleForEdge } from "../support/edge.mjs";
import { fakeToken } from "../support/package.mjs";
import { makeIssuer, SITE } from "../support/convex-tokens.mjs";
import { mintedV2Token } from "../support/backend-v2.mjs";

const issuer = await makeIssuer();
// A Convex Auth 2 token minted by the local v2 deployment (the real @convex-dev/auth 2.0.0).
const v2 = await mintedV2Token("edge");

test("the sandbox really refuses to compile wasm from bytes", async () => {
  const { result } = await runOnEdge(`
    try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); result = "compiled"; }
    catch (e) { result = String(e); }
  `);
  assert.match(result, /Wasm code generation disallowed|code generation/i);
});

test("the edge-light condition selects the ?module loader for both entries", async () => {
  const { code, modules } = await bundleForEdge(
    `import * as a from "convex-auth-wasm/edge"; import * as b from "convex-auth-wasm/client"; result = [a, b];`,
  );
  assert.equal(modules.size, 2);
  assert.ok(!code.includes("initSync({ module: bytes })"), "the Node loader must not be bundled");
});

test("convex-auth-wasm/edge loads and works under edge rules", async () => {
  const token = fakeToken({ sub: "u1|s1", iat: 1, exp: 2, aud: "convex" });
  const { result } = await runOnEdge(`
    import { resolveDeployment, decodeToken, isSameOrigin, createVerifier } from "convex-auth-wasm/edge";
    const verifier = createVerifier({ siteUrl: ${JSON.stringify(SITE)}, jwks: ${JSON.stringify(issuer.jwks)} });
    const verified = (await verifier.verify(${JSON.stringify(await issuer.sign())})).userId;
    const v2 = createVerifier({ convexUrl: ${JSON.stringify(v2.convexUrl)}, jwks: ${JSON.stringify(v2.jwks)}, cacheSize: 0 });
    const v2Token = ${JSON.stringify(v2.token)};
    const v2Verified = [(await v2.verify(v2Token)).sessionId, v2.verifySync(v2Token).sessionId, v2.crypto];
    let error;
    try { resolveDeployment({ convexUrl: "https://happy-otter-123.convex.site" }); } catch (e) { error = e; }
    result = {
      urls: resolveDeployment({ convexUrl: "https://happy-otter-123.convex.cloud" }),
      user: decodeToken(${JSON.stringify(token)}, 1).userId,
      foreign: isSameOrigin("https://a.convex.site", "https://a.convex.site@evil.com"),
      error: { isError: error instanceof Error, name: error.name, code: error.code },
      crypto: verifier.crypto,
      verified,
      v2Verified,
    };
  `);
  assert.equal(result.urls.siteUrl, "https://happy-otter-123.convex.site");
  assert.equal(result.user, "u1");
  assert.equal(result.foreign, false);
  assert.equal(result.crypto, "webcrypto", "no node:crypto on the edge: WebCrypto");
  assert.equal(result.verified, "user123");
  assert.deepEqual([...result.v2Verified], [v2.session, v2.session, "webcrypto"], "Convex Auth 2 (the local deployment's token): WebCrypto, and wasm for verifySync");
  assert.deepEqual({ ...result.error }, { isError: true, name: "ConvexAuthError", code: "ERR_CONFIG_INVALID" });
});

test("convex-auth-wasm/client loads under edge rules too", async () => {
  const { result } = await runOnEdge(`
    import { storageKeys } from "convex-auth-wasm/client";
    result = storageKeys("https://a-1.convex.cloud").jwt;
  `);
  assert.equal(result, "__convexAuthJWT_httpsa1convexcloud");
});
