// The local Convex Auth 2 backend (www/backend-v2) runs the real @convex-dev/auth 2.0.0 server
// code and speaks its wire protocol (shared/PROTOCOL-V2.md): tokens, JWKS, refresh rotation and
// reuse detection, the HTTP API and the sync socket — and our edge verifier accepts its tokens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from "jose";
import { ConvexClient } from "convex/browser";
import { anyApi } from "convex/server";
import { startBackendV2, backendV2 } from "../support/backend-v2.mjs";
import { importInScratch } from "../support/package.mjs";

// Node 20 has no global WebSocket; the backend's own `ws` dependency serves the client.
const WebSocket = createRequire(join(backendV2, "package.json"))("ws");
const password = "correct horse battery staple";

let backend;
before(async () => {
  backend = await startBackendV2();
});
after(async () => {
  await backend?.stop();
});

/** A Convex HTTP API call as ConvexHttpClient makes it; resolves {status, body}. */
async function call(kind, path, args = {}, accessToken) {
  const headers = { "content-type": "application/json" };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const res = await fetch(`${backend.cloudUrl}/api/${kind}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ path, args: [args], format: "convex_encoded_json" }),
  });
  return { status: res.status, body: await res.json() };
}

/** The value of a successful call (fails the test otherwise). */
async function value(kind, path, args, accessToken) {
  const { status, body } = await call(kind, path, args, accessToken);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.status, "success");
  return body.value;
}

async function signUp(username) {
  return value("mutation", "auth:signUpWithUsernamePassword", { username, password });
}

test("sign-up and sign-in give ES256 tokens with the v2 claims, signed by the served JWKS key", async () => {
  const up = await signUp("alice");
  assert.equal(up.status, "complete");
  const result = await value("mutation", "auth:signInWithUsernamePassword", { username: "alice", password });
  assert.equal(result.status, "complete");
  const { accessToken, refreshToken, refreshTokenExpiresAt, userId } = result.tokens;
  assert.deepEqual(Object.keys(result.tokens).sort(), ["accessToken", "refreshToken", "refreshTokenExpiresAt", "userId"]);
  assert.equal(userId, up.tokens.userId, "the sign-in finds the user of the sign-up");
  assert.match(refreshToken, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
  assert.ok(refreshTokenExpiresAt > Date.now() + 29 * 24 * 3600_000, "30 days by default");

  const jwks = await (await fetch(`${backend.cloudUrl}/.well-known/jwks.json`)).json();
  assert.equal(jwks.keys.length, 1);
  const [key] = jwks.keys;
  assert.equal(key.kty, "EC");
  assert.equal(key.crv, "P-256");
  assert.equal(key.kid, await calculateJwkThumbprint(key), "kid is the RFC 7638 thumbprint");
  assert.deepEqual(JSON.parse(backend.jwks), jwks, "the ready file names the served JWKS");

  assert.deepEqual(decodeProtectedHeader(accessToken), { alg: "ES256", typ: "JWT", kid: key.kid });
  const claims = decodeJwt(accessToken);
  assert.deepEqual(Object.keys(claims).sort(), ["aud", "exp", "iat", "iss", "jti", "sub"]);
  assert.equal(claims.aud, "convex-auth");
  assert.equal(claims.iss, `${backend.cloudUrl}/components/auth`);
  assert.equal(claims.exp - claims.iat, 60);
  assert.notEqual(claims.sub, decodeJwt(up.tokens.accessToken).sub, "each sign-in is its own session");
  assert.ok(claims.jti.length > 0);
});

test("our edge verifier accepts the tokens, fetching the JWKS from the cloud URL", async () => {
  const { edge } = await importInScratch("imports-edge.mjs", 'export * as edge from "convex-auth-wasm/edge";\n');
  const { tokens } = await signUp("bob");
  const sub = decodeJwt(tokens.accessToken).sub;
  for (const crypto of ["node", "webcrypto", "wasm"]) {
    const verifier = edge.createVerifier({ convexUrl: backend.cloudUrl, crypto });
    const verified = await verifier.verify(tokens.accessToken);
    assert.equal(verified.sessionId, sub, crypto);
    assert.equal(verified.userId, null, crypto);
    assert.equal(verified.issuer, `${backend.cloudUrl}/components/auth`, crypto);
    await verifier.ready();
    assert.equal(verifier.jwksStatus.url, `${backend.cloudUrl}/.well-known/jwks.json`, crypto);
    const sync = verifier.verifySync(tokens.accessToken);
    assert.equal(sync.sessionId, sub, crypto);
    assert.equal(sync.userId, null, crypto);
  }
});

test("users:me reads the user of the Bearer token's session, null without one", async () => {
  const { tokens } = await signUp("carol");
  const me = await value("query", "users:me", {}, tokens.accessToken);
  assert.deepEqual(me, { id: tokens.userId, username: "carol", email: null, method: "usernamePassword" });
  assert.equal(await value("query", "users:me", {}), null);
  const sub = decodeJwt(tokens.accessToken).sub;
  const issuer = `${backend.cloudUrl}/components/auth`;
  const identity = await value("query", "users:identity", {}, tokens.accessToken);
  assert.deepEqual(identity, { subject: sub, issuer, tokenIdentifier: `${issuer}|${sub}` });
  assert.equal(await value("query", "auth:isAuthenticated", {}, tokens.accessToken), true);
  assert.equal(await value("query", "auth:isAuthenticated", {}), false);
  const forged = tokens.accessToken.slice(0, -4) + (tokens.accessToken.endsWith("AAAA") ? "BBBB" : "AAAA");
  const refused = await call("query", "users:me", {}, forged);
  assert.equal(refused.status, 401);
  assert.equal(refused.body.code, "InvalidAuthHeader");
});

test("refreshSession rotates; replaying a spent refresh token revokes the session", async () => {
  const { tokens: t0 } = await signUp("dave");
  const sessionId = decodeJwt(t0.accessToken).sub;
  await backend.controls({ reset: true });
  const refresh = (refreshToken) => value("mutation", "auth:refreshSession", { refreshToken });

  const r1 = await refresh(t0.refreshToken); // t0's token: issued → redeemed
  assert.equal(r1.kind, "rotated");
  assert.notEqual(r1.tokens.refreshToken, t0.refreshToken);
  assert.equal(r1.tokens.userId, t0.userId);
  assert.equal(decodeJwt(r1.tokens.accessToken).sub, sessionId, "the same session");
  const again = await refresh(t0.refreshToken); // a redeemed token may be presented again (lost response)
  assert.equal(again.kind, "rotated");
  const r2 = await refresh(r1.tokens.refreshToken); // r1's redeemed: t0's token is now spent
  assert.equal(r2.kind, "rotated");
  assert.equal((await backend.controls()).revokedSessions, 0);

  assert.deepEqual(await refresh(t0.refreshToken), { kind: "noSession" }, "a spent token");
  assert.deepEqual(await refresh(r2.tokens.refreshToken), { kind: "noSession" }, "the session is gone");
  assert.equal(await value("query", "users:me", {}, r2.tokens.accessToken), null, "its JWT verifies but names no session");

  const controls = await backend.controls();
  assert.equal(controls.revokedSessions, 1);
  assert.deepEqual(controls.revocations.map(({ sessionId, reason }) => ({ sessionId, reason })), [{ sessionId, reason: "reuse" }]);
  assert.equal(controls.refreshCalls, 5);
  assert.equal(controls.functionCalls["auth:refreshSession"], 5);
  assert.deepEqual(controls.refreshLog, [t0.refreshToken, t0.refreshToken, r1.tokens.refreshToken, t0.refreshToken, r2.tokens.refreshToken]);
  assert.deepEqual(await refresh("not-a-token"), { kind: "noSession" }, "an unknown token revokes nothing");
  assert.equal((await backend.controls()).revokedSessions, 1);
});

test("the sync socket accepts the v2 token and a subscription of users:me sees the user", async () => {
  const { tokens } = await signUp("erin");
  const before = (await backend.controls()).authenticatesPerSocket.length;
  const client = new ConvexClient(backend.cloudUrl, { webSocketConstructor: WebSocket, skipConvexDeploymentUrlCheck: true });
  try {
    const seen = new Promise((ok, fail) => {
      client.setAuth(async () => tokens.accessToken, (authenticated) => authenticated || fail(new Error("not authenticated")));
      const stop = client.onUpdate(anyApi.users.me, {}, (me) => {
        if (me !== null) {
          stop();
          ok(me);
        }
      });
    });
    const me = await seen;
    assert.equal(me.username, "erin");
    assert.equal(me.id, tokens.userId);
    const { authenticatesPerSocket, openSockets } = await backend.controls();
    assert.equal(openSockets.length, 1);
    assert.ok(authenticatesPerSocket[before] >= 1, "the client sent Authenticate on its socket");
  } finally {
    await client.close();
  }
});

test("the outage switch: 503, refused connections, slow answers, dropped sockets", async () => {
  try {
    await backend.controls({ mode: "503" });
    assert.equal((await call("query", "users:me")).status, 503);
    await backend.controls({ mode: "refuse" });
    await assert.rejects(fetch(`${backend.cloudUrl}/api/query`, { method: "POST", body: "{}" }), TypeError);
    await backend.controls({ mode: "slow", slowMs: 300 });
    const started = performance.now();
    assert.equal((await call("query", "users:me")).status, 200);
    assert.ok(performance.now() - started >= 290, "the answer waited slowMs");
    await assert.rejects(backend.controls({ mode: "down" }), /unknown mode/);
    assert.equal((await backend.controls({ mode: "ok", dropSockets: true })).openSockets.length, 0);
  } finally {
    await backend.controls({ mode: "ok", slowMs: 12_000 });
  }
  assert.equal((await call("query", "users:me")).status, 200);
});

test("AUTH_ACCESS_TOKEN_TTL_SECONDS sets the access-token lifetime", async () => {
  const other = await startBackendV2({ env: { AUTH_ACCESS_TOKEN_TTL_SECONDS: "120" } });
  try {
    const res = await fetch(`${other.cloudUrl}/api/mutation`, {
      method: "POST",
      body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", args: { username: "gina", password }, format: "json" }),
    });
    const { value } = await res.json();
    const claims = decodeJwt(value.tokens.accessToken);
    assert.equal(claims.exp - claims.iat, 120);
    assert.notEqual(other.jwks, backend.jwks, "each deployment has its own key");
  } finally {
    await other.stop();
  }
});

test("driven time: past 60 s the deployment refuses the old access token", async () => {
  const { tokens } = await signUp("frank");
  assert.equal((await value("query", "users:me", {}, tokens.accessToken)).username, "frank");
  const { clockOffsetMs } = await backend.controls({ advanceMs: 61_000 });
  assert.equal(clockOffsetMs, 61_000);
  const expired = await call("query", "users:me", {}, tokens.accessToken);
  assert.equal(expired.status, 401);
  assert.match(expired.body.message, /exp/);
  // A refresh on the moved clock gives a token that is valid on it.
  const { tokens: fresh } = await value("mutation", "auth:refreshSession", { refreshToken: tokens.refreshToken });
  assert.ok(decodeJwt(fresh.accessToken).iat * 1000 >= Date.now() + 60_000, "issued on the deployment's clock");
  assert.equal((await value("query", "users:me", {}, fresh.accessToken)).username, "frank");
});
