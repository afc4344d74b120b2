// The verifier in a real Next.js 16 production build (`next build` + `next start`): proxy.ts
// (Node), middleware.ts (edge runtime), and route handlers on Node and on the edge — the package
// installed from its tarball, keys fetched from a local JWKS server acting as the site origin.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeIssuer } from "../support/convex-tokens.mjs";
import { startKeyServer } from "../support/key-server.mjs";
import { buildAndStart } from "../support/next.mjs";

const keyServer = await startKeyServer("");
const site = new URL(keyServer.url).origin; // the issuer, as a local backend's site URL
const issuer = await makeIssuer();
keyServer.state.jwks = issuer.jwks;
after(() => keyServer.close());

const sign = (claims = {}) => issuer.sign({ claims: { iss: site, ...claims } });

async function get(url, headers = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

const variants = [
  { entry: "proxy", webpack: false },
  { entry: "middleware", webpack: false },
  { entry: "proxy", webpack: true },
];

for (const { entry, webpack } of variants) {
  test(`next build${webpack ? " --webpack" : ""} + next start with ${entry}.ts`, { timeout: 240_000 }, async (t) => {
    const app = await buildAndStart(entry, { CONVEX_SITE_URL: site }, { webpack });
    t.diagnostic(`next build took ${app.buildSeconds.toFixed(1)} s`);
    try {
      const token = await sign();
      const bearer = { authorization: `Bearer ${token}` };
      const expectedCrypto = entry === "proxy" ? "node" : "webcrypto";

      let r = await get(`${app.url}/protected/page`);
      assert.deepEqual(r, { status: 401, body: { where: entry, error: "no token" } });

      r = await get(`${app.url}/protected/page`, bearer);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { where: entry, userId: "user123", sessionId: "session456", crypto: expectedCrypto });

      r = await get(`${app.url}/protected/page`, { cookie: `__convexAuthJWT=${token}` });
      assert.equal(r.body.userId, "user123", "the Convex Auth Next.js cookie (localhost name)");

      const [h, p, s] = token.split(".");
      const forged = Buffer.from(JSON.stringify({ sub: "admin|x", iat: 1, iss: site, aud: "convex", exp: 9e9 })).toString("base64url");
      r = await get(`${app.url}/protected/page`, { cookie: `__convexAuthJWT=${h}.${forged}.${s}` });
      assert.deepEqual(r, { status: 401, body: { where: entry, error: "ERR_JWT_SIGNATURE_INVALID" } });

      const now = Math.floor(Date.now() / 1000);
      r = await get(`${app.url}/protected/page`, { authorization: `Bearer ${await sign({ iat: now - 7200, exp: now - 3600 })}` });
      assert.equal(r.body.error, "ERR_JWT_EXPIRED");

      r = await get(`${app.url}/api/node`, bearer);
      assert.deepEqual(r.body, { where: "node route", userId: "user123", sessionId: "session456", crypto: "node" });
      r = await get(`${app.url}/api/edge`, bearer);
      assert.deepEqual(r.body, { where: "edge route", userId: "user123", sessionId: "session456", crypto: "webcrypto" });

      for (let i = 0; i < 20; i++) assert.equal((await get(`${app.url}/protected/x`, bearer)).status, 200);
      assert.ok(keyServer.state.requests <= 6, `JWKS fetched ${keyServer.state.requests} times: once per runtime bundle, not per request`);
    } catch (e) {
      console.error(app.output());
      throw e;
    } finally {
      app.stop();
      keyServer.state.requests = 0;
    }
  });
}
