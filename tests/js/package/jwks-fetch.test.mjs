// JWKS fetched from the site origin: one fetch in flight, Cache-Control freshness, unknown-kid
// refetch under a cooldown, timeouts, and stale keys serving while refreshes fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { importInScratch } from "../support/package.mjs";
import { makeIssuer, SITE } from "../support/convex-tokens.mjs";
import { startKeyServer, shiftClock } from "../support/key-server.mjs";

const { edge } = await importInScratch("imports-edge.mjs", `export * as edge from "convex-auth-wasm/edge";\n`);
const issuer = await makeIssuer();
const rotated = await makeIssuer();

async function withServer(fn) {
  const server = await startKeyServer(issuer.jwks);
  try { await fn(server); } finally { server.close(); }
}

test("keys are fetched on demand, once, however many verifications wait for them", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  assert.equal(v.jwksStatus.source, "remote");
  assert.equal(v.jwksStatus.keyCount, 0);
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => issuer.sign({ claims: { i } })));
  const ids = await Promise.all(tokens.map((t) => v.verify(t)));
  assert.equal(ids.length, 20);
  assert.equal(server.state.requests, 1, "single flight");
  for (const t of tokens) v.verifySync(t);
  await v.verify(await issuer.sign({ claims: { more: 1 } }));
  assert.equal(server.state.requests, 1, "fresh keys are not refetched");
  const status = v.jwksStatus;
  assert.equal(status.keyCount, 1);
  assert.equal(status.url, server.url);
  assert.ok(status.freshUntil - status.fetchedAt >= 60, "Convex's max-age=15 is raised to the 60 s floor");
  assert.equal(status.lastError, null);
}));

test("verifySync before the keys are loaded explains itself; ready() loads them", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  const token = await issuer.sign();
  assert.throws(() => v.verifySync(token), (e) => e.code === "ERR_JWKS_FETCH_FAILED" && /ready\(\)/.test(e.message));
  await v.ready();
  assert.equal(v.verifySync(token).userId, "user123");
}));

test("an unknown kid or a rotated key triggers one refetch, then a cooldown", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await v.verify(await issuer.sign());
  server.state.jwks = rotated.jwks;
  const restore = shiftClock(31); // past the 30 s refetch cooldown (test-only fake clock)
  try {
    const id = await v.verify(await rotated.sign());
    assert.equal(id.userId, "user123", "rotated key picked up by a refetch");
    assert.equal(server.state.requests, 2);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(v.verify(await issuer.sign({ claims: { i }, header: { alg: "RS256", kid: "nope" } })), { code: "ERR_JWKS_NO_MATCHING_KEY" });
    }
    assert.equal(server.state.requests, 2, "no refetch storm within the cooldown");
  } finally { restore(); }
}));

test("no keys and the site answers 503: a typed error, then a cooldown instead of a fetch per request", () => withServer(async (server) => {
  server.state.mode = "503";
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  const token = await issuer.sign();
  await assert.rejects(v.verify(token), (e) => e.code === "ERR_JWKS_FETCH_FAILED" && e.status === 503 && e.url === server.url);
  await assert.rejects(v.verify(token), { code: "ERR_JWKS_FETCH_FAILED" });
  assert.equal(server.state.requests, 1);
  server.state.mode = "ok";
  const restore = shiftClock(31);
  try { assert.equal((await v.verify(token)).userId, "user123", "recovers after the cooldown"); } finally { restore(); }
}));

test("a 404 says where the JWKS should be served from", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url.replace("jwks.json", "missing") });
  server.state.mode = "ok";
  const err = await v.verify(await issuer.sign()).catch((e) => e);
  assert.equal(err.code, "ERR_JWKS_FETCH_FAILED");
  assert.equal(err.status, 404);
  assert.match(err.message, /auth\.addHttpRoutes\(http\)/);
}));

test("a hanging JWKS endpoint times out", () => withServer(async (server) => {
  server.state.mode = "hang";
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url, jwksTimeout: 200 });
  const started = Date.now();
  const err = await v.verify(await issuer.sign()).catch((e) => e);
  assert.equal(err.code, "ERR_JWKS_FETCH_FAILED");
  assert.match(err.message, /timed out after 200 ms/);
  assert.ok(Date.now() - started < 3000);
}));

test("a garbage JWKS response is ERR_JWKS_INVALID", () => withServer(async (server) => {
  server.state.mode = "garbage";
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await assert.rejects(v.verify(await issuer.sign()), { code: "ERR_JWKS_INVALID" });
}));

test("stale keys keep serving while refreshes fail, the failure is reported, and they expire a day later", () => withServer(async (server) => {
  const reported = [];
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url, onJwksError: (e) => reported.push(e.code) });
  await v.ready();
  server.state.mode = "503";
  let restore = shiftClock(120); // keys are now stale (test-only fake clock)
  try {
    const id = await v.verify(await issuer.sign({ now: Math.floor(Date.now() / 1000) }));
    assert.equal(id.userId, "user123", "stale keys still verify");
    await new Promise((r) => setTimeout(r, 100)); // let the background refresh fail
    assert.deepEqual(reported, ["ERR_JWKS_FETCH_FAILED"]);
    assert.equal(v.jwksStatus.lastError.code, "ERR_JWKS_FETCH_FAILED");
    assert.equal(server.state.requests, 2);
  } finally { restore(); }
  restore = shiftClock(2 * 24 * 3600); // beyond stale-if-error
  try {
    await assert.rejects(v.verify(await issuer.sign({ now: Math.floor(Date.now() / 1000) })), { code: "ERR_JWKS_FETCH_FAILED" });
    server.state.mode = "ok";
  } finally { restore(); }
}));

test("a key rotation evicts the results cached under the old keys", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  const old = await issuer.sign();
  await v.verify(old);
  await v.verify(old);
  assert.equal(v.cachedTokens, 1, "cached");
  server.state.jwks = rotated.jwks; // the old key is withdrawn
  const restore = shiftClock(31); // past the refetch cooldown (test-only fake clock)
  try {
    await v.verify(await rotated.sign()); // a token of the new key makes the verifier refetch
    assert.equal(server.state.requests, 2);
    await assert.rejects(v.verify(old), { code: "ERR_JWT_SIGNATURE_INVALID" }, "no longer served from the cache");
    assert.throws(() => v.verifySync(old), { code: "ERR_JWT_SIGNATURE_INVALID" });
  } finally { restore(); }
}));

test("a JWKS answered with a redirect is not followed", () => withServer(async (server) => {
  server.state.mode = "redirect";
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await assert.rejects(v.verify(await issuer.sign()), (err) => {
    assert.equal(err.code, "ERR_JWKS_FETCH_FAILED");
    assert.equal(err.status, 307);
    assert.match(err.message, /redirect to http:\/\/127\.0\.0\.1:1\/elsewhere/);
    return true;
  });
  assert.equal(server.state.requests, 1, "one request, not followed");
}));

/** Waits (event-loop turns, bounded) until `done()` holds: a background refresh has landed. */
async function until(done, what) {
  for (let turn = 0; turn < 2000 && !done(); turn++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(done(), what);
}

test("verifySync refreshes stale keys in the background: a rotation is picked up, a withdrawn key stops verifying", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await v.ready();
  const fetchedAt = v.jwksStatus.fetchedAt;
  const restore = shiftClock(120); // the keys are stale now (test-only fake clock)
  try {
    const now = Math.floor(Date.now() / 1000);
    const old = await issuer.sign({ now });
    server.state.jwks = rotated.jwks; // the old key is withdrawn
    assert.equal(v.verifySync(old).userId, "user123", "stale keys still serve while the refresh runs");
    await until(() => v.jwksStatus.fetchedAt > fetchedAt, "verifySync started a refresh");
    assert.equal(server.state.requests, 2);
    assert.throws(() => v.verifySync(old), (e) => e.code === "ERR_JWT_SIGNATURE_INVALID" || e.code === "ERR_JWKS_NO_MATCHING_KEY");
    assert.equal(v.verifySync(await rotated.sign({ now })).userId, "user123", "the rotated key verifies");
  } finally { restore(); }
}));

test("verifySync a day after the last fetch refetches instead of failing for good", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await v.ready();
  const restore = shiftClock(2 * 24 * 3600); // beyond fresh + stale-if-error (test-only fake clock)
  try {
    const token = await issuer.sign({ now: Math.floor(Date.now() / 1000) });
    assert.throws(() => v.verifySync(token), (e) => e.code === "ERR_JWKS_FETCH_FAILED" && /refetch has started/.test(e.message));
    await until(() => server.state.requests === 2 && v.jwksStatus.keyCount === 1, "the refetch landed");
    assert.equal(v.verifySync(token).userId, "user123");
  } finally { restore(); }
}));

test("verifySync with an unknown kid starts one refetch (under the cooldown) so the next call finds a rotated key", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  await v.ready();
  const next = await makeIssuer({ kid: "next" });
  server.state.jwks = next.jwks;
  const restore = shiftClock(31); // past the refetch cooldown (test-only fake clock)
  try {
    const token = await next.sign({ now: Math.floor(Date.now() / 1000), header: { alg: "RS256", kid: "next" } });
    assert.throws(() => v.verifySync(token), { code: "ERR_JWKS_NO_MATCHING_KEY" });
    await until(() => server.state.requests === 2 && v.jwksStatus.keyCount === 1 && v.jwksStatus.fetchedAt > 0, "refetched");
    await until(() => { try { return v.verifySync(token).userId === "user123"; } catch { return false; } }, "the rotated key verifies");
    assert.equal(server.state.requests, 2, "one refetch");
  } finally { restore(); }
}));

test("a cache hit on stale keys starts their refresh: a withdrawn key's results stop being served", () => withServer(async (server) => {
  const v = edge.createVerifier({ siteUrl: SITE, jwksUrl: server.url });
  const old = await issuer.sign();
  await v.verify(old);
  await v.verify(old);
  assert.equal(v.cachedTokens, 1, "cached");
  const fetchedAt = v.jwksStatus.fetchedAt;
  server.state.jwks = rotated.jwks; // the old key is withdrawn
  const restore = shiftClock(120); // the keys are stale now (test-only fake clock)
  try {
    assert.equal((await v.verify(old)).userId, "user123", "a hit on stale keys still serves…");
    await until(() => v.jwksStatus.fetchedAt > fetchedAt, "…and starts their refresh");
    await assert.rejects(v.verify(old), { code: "ERR_JWT_SIGNATURE_INVALID" });
    assert.throws(() => v.verifySync(old), { code: "ERR_JWT_SIGNATURE_INVALID" });
    assert.equal(server.state.requests, 2);
  } finally { restore(); }
}));
