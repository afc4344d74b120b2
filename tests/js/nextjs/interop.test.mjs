// Switching between @convex-dev/auth/nextjs/server and convex-auth-wasm/nextjs/server on the
// same cookies signs nobody out: one `next build` of a fixture whose proxy.ts picks the
// middleware per process, against the local backend running the real Convex Auth server code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildFixture, startBuilt } from "../support/next.mjs";
import { startBackend } from "../support/backend.mjs";
import { freePort } from "../support/ports.mjs";

let backend;
let app;
let port;
before(async () => {
  port = await freePort();
  backend = await startBackend({ appUrl: `http://127.0.0.1:${port}` });
  ({ app } = buildFixture("next-interop"));
});
after(() => backend?.stop());

const env = () => ({ CONVEX_URL: backend.cloudUrl, CONVEX_SITE_URL: backend.siteUrl });

/** The cookie jar a browser keeps, fed from responses. */
function jar() {
  const cookies = new Map();
  return {
    take(res) {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(";");
        const name = pair.split("=")[0];
        const value = pair.slice(name.length + 1);
        const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()) || /max-age=0/i.test(a.trim()));
        if (expired || value === "") cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    names: () => [...cookies.keys()].sort(),
    get: (name) => cookies.get(name),
  };
}

async function route(server, cookies, action, args) {
  const res = await fetch(`${server.url}/api/auth`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, cookie: cookies.header() },
    body: JSON.stringify({ action, args }),
  });
  cookies.take(res);
  return { status: res.status, body: await res.json() };
}

async function protectedPage(server, cookies) {
  const res = await fetch(`${server.url}/protected`, { headers: { cookie: cookies.header(), accept: "text/html" } });
  cookies.take(res);
  return res.status;
}

async function withServer(which, work) {
  const server = await startBuilt(app, { ...env(), AUTH_MIDDLEWARE: which }, port);
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

test("cookies written by the official middleware work with ours, and the other way round", { timeout: 240_000 }, async () => {
  const cookies = jar();
  const email = `interop${Date.now()}@example.com`;
  await withServer("official", async (server) => {
    const signUp = await route(server, cookies, "auth:signIn", {
      provider: "password",
      params: { email, password: "correct horse battery", flow: "signUp" },
    });
    assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
    assert.equal(await protectedPage(server, cookies), 200);
  });
  assert.deepEqual(cookies.names(), ["__convexAuthJWT", "__convexAuthRefreshToken"]);
  const officialRefresh = cookies.get("__convexAuthRefreshToken");
  await withServer("wasm", async (server) => {
    assert.equal(await protectedPage(server, cookies), 200, "ours reads the official cookies");
    const refreshed = await route(server, cookies, "auth:signIn", { refreshToken: "dummy" });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.tokens.refreshToken, "dummy");
    assert.notEqual(cookies.get("__convexAuthRefreshToken"), officialRefresh, "ours rotated the refresh token");
    assert.equal(await protectedPage(server, cookies), 200);
  });
  await withServer("official", async (server) => {
    assert.equal(await protectedPage(server, cookies), 200, "the official middleware reads ours");
    const refreshed = await route(server, cookies, "auth:signIn", { refreshToken: "dummy" });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.ok(refreshed.body.tokens?.token, "and refreshes with our refresh token");
    const out = await route(server, cookies, "auth:signOut", {});
    assert.equal(out.status, 200);
  });
  assert.deepEqual(cookies.names(), [], "signed out");
  await withServer("wasm", async (server) => {
    assert.equal(await protectedPage(server, cookies), 401);
  });
});
