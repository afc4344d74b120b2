// The assertions every runtime's results must pass (support/probe.mjs made them).
import assert from "node:assert/strict";

const GOOD = { userId: "user123", sessionId: "session456", issuer: "https://happy-otter-123.convex.site", audience: "convex" };

function refused(outcome, code, what) {
  assert.equal(outcome.ok, false, `${what}: must be refused, got ${JSON.stringify(outcome.value)}`);
  assert.deepEqual(
    { isError: outcome.isError, name: outcome.name, code: outcome.code },
    { isError: true, name: "ConvexAuthError", code },
    `${what}: ${outcome.message}`,
  );
}

function accepted(outcome, expected, what) {
  assert.equal(outcome.ok, true, `${what}: ${outcome.code}: ${outcome.message}`);
  assert.deepEqual(outcome.value, expected, what);
}

/** `crypto`: what `verifier.crypto` must report; `hasNodeCrypto`: whether `crypto: "node"` can be forced. */
export function expectProbe(result, { crypto, hasNodeCrypto }) {
  for (const name of ["createVerifier", "decodeToken", "errorCodes", "isSameOrigin", "resolveDeployment", "EdgeVerifier"]) {
    assert.ok(result.edgeExports.includes(name), `convex-auth-wasm/edge exports ${name}`);
  }
  for (const name of ["SessionManager", "storageKeys", "readStoredSession", "siteUrlFromConvexUrl", "decodeToken"]) {
    assert.ok(result.clientExports.includes(name), `convex-auth-wasm/client exports ${name}`);
  }
  assert.equal(result.crypto, crypto, "the crypto the verifier picked by itself");
  accepted(result.good, GOOD, "a real RS256 token (verify)");
  accepted(result.goodSync, GOOD, "a real RS256 token (verifySync)");
  accepted(result.request, GOOD, "a real RS256 token (verifyRequest with a Bearer header)");
  refused(result.tampered, "ERR_JWT_SIGNATURE_INVALID", "a token whose payload was changed after signing");
  refused(result.wrongAudience, "ERR_JWT_AUDIENCE_MISMATCH", "a token signed for another audience");
  for (const forced of ["node", "webcrypto", "wasm"]) {
    const r = result.forced[forced];
    if (forced === "node" && !hasNodeCrypto) {
      refused(r.created, "ERR_CONFIG_INVALID", 'crypto: "node" where there is no node:crypto');
      continue;
    }
    assert.equal(r.crypto, forced, `crypto: "${forced}" is used when asked for`);
    accepted(r.good, GOOD.userId, `crypto: "${forced}" accepts the real token`);
    refused(r.tampered, "ERR_JWT_SIGNATURE_INVALID", `crypto: "${forced}" refuses the tampered token`);
  }
  // Convex Auth 2 (ES256): every crypto the runtime has, verify and verifySync alike.
  const { session, ...v2Results } = result.v2;
  assert.ok(typeof session === "string" && session.length > 0, "the session id the local v2 deployment minted");
  const v2Cryptos = Object.keys(v2Results);
  assert.deepEqual(v2Cryptos, hasNodeCrypto ? ["auto", "node", "webcrypto", "wasm"] : ["auto", "webcrypto", "wasm"]);
  for (const [crypto, r] of Object.entries(v2Results)) {
    for (const sync of ["", "Sync"]) {
      const what = `Convex Auth 2, crypto ${crypto} (${r.crypto}), verify${sync}`;
      accepted(r[`good${sync}`], { userId: null, sessionId: session }, `${what}: the deployment's ES256 token`);
      refused(r[`tampered${sync}`], "ERR_JWT_SIGNATURE_INVALID", `${what}: a tampered token`);
      refused(r[`psychic${sync}`], "ERR_JWT_SIGNATURE_INVALID", `${what}: the all-zero signature`);
      refused(r[`otherGeneration${sync}`], "ERR_JWT_GENERATION_MISMATCH", `${what}: a Convex Auth 0.x token`);
    }
  }
  accepted(
    result.client,
    {
      version: result.client.value?.version,
      jwtKey: "__convexAuthJWT_httpsa1convexcloud",
      siteUrl: "https://happy-otter-123.convex.site",
      decodedUser: "user123",
      sessionManager: "function",
    },
    "convex-auth-wasm/client works",
  );
  assert.match(result.client.value.version, /^\d+\.\d+\.\d+/);
}
