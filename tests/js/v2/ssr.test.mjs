// `convex-auth-wasm/ssr` — Convex Auth 2's server routes — against the local v2 deployment (the
// real @convex-dev/auth 2.0.0 server code), mounted like an app mounts them, beside the official
// 2.0.0 handlers on the same deployment: the same wire (a cookie jar written by either keeps
// working under the other), and none of the official defects — an outage is a 503 with a stable
// code, not a 500 nor a sign-out; one hung refresh blocks no other; requests carrying the same
// refresh token share one refresh; sign-out clears the cookies whatever happens. Counted at the
// backend.
import { test, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startBackendV2 } from "../support/backend-v2.mjs";
import { startSsrApp } from "../support/ssr-app.mjs";
import { importInScratch } from "../support/package.mjs";

const backend = await startBackendV2();
const ours = await startSsrApp(backend.cloudUrl, { implementation: "ours" });
const official = await startSsrApp(backend.cloudUrl, { implementation: "official" });
after(async () => {
  await ours.stop();
  await official.stop();
  await backend.stop();
});
beforeEach(() => backend.controls({ reset: true, mode: "ok" }));

const PASSWORD = "correct horse battery";
let users = 0;

/** The browser's cookies for the app (name → value), kept from each answer's Set-Cookie lines. */
class Jar {
  cookies = new Map();
  /** Another tab's view of the same cookies (its answers do not reach this jar). */
  copy() {
    return Object.assign(new Jar(), { cookies: new Map(this.cookies) });
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      const gone = attributes.some((a) => /^max-age=0$/i.test(a)) || value === "";
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** POSTs to one of the app's routes as the browser's fetch would (its own Origin, the jar's cookies). */
async function post(app, path, { jar, origin = app.origin, body = "", headers = {} } = {}) {
  const response = await fetch(`${app.origin}${path}`, {
    method: "POST",
    headers: { ...(origin ? { origin } : {}), ...(jar?.cookies.size ? { cookie: jar.header() } : {}), "content-type": "application/json", ...headers },
    body,
  });
  jar?.take(response);
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, text, json, setCookie: response.headers.getSetCookie() };
}

/** A ConvexHttpClient call through the app's sign-in proxy. */
const proxied = (app, jar, path, args, kind = "mutation") =>
  post(app, `/auth/signin?path=/api/${kind}`, { jar, body: JSON.stringify({ path, format: "convex_encoded_json", args: [args] }) });

/** A new user signed up through `app`'s proxy: its cookie jar. */
async function signedUp(app = ours) {
  const jar = new Jar();
  const answer = await proxied(app, jar, "auth:signUpWithUsernamePassword", { username: `ssr-${++users}-${Date.now()}`, password: PASSWORD });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.value.status, "complete");
  return { jar, answer };
}

const refresh = (app, jar) => post(app, "/auth/refresh", { jar });

test("a sign-up through the proxy: the access token in the body, the refresh token only in an httpOnly cookie", async () => {
  const { jar, answer } = await signedUp();
  const tokens = answer.json.value.tokens;
  assert.deepEqual(Object.keys(tokens).sort(), ["accessToken", "userId"]);
  assert.equal(jar.cookies.get("__convexAuthJWT"), tokens.accessToken);
  assert.ok(jar.cookies.get("__convexAuthRefreshToken"));
  assert.ok(!answer.text.includes(jar.cookies.get("__convexAuthRefreshToken")), "the refresh token never reaches the body");
  for (const line of answer.setCookie) {
    assert.match(line, /; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/, line);
  }
  // The minted token verifies locally as a Convex Auth 2 token.
  const { createVerifier } = await importInScratch("ssr-verifier.mjs", 'export * from "convex-auth-wasm/edge";\n');
  const verified = await createVerifier({ convexUrl: backend.cloudUrl, jwks: backend.jwks }).verify(tokens.accessToken);
  assert.equal(verified.userId, null);
  assert.equal(verified.sessionId, JSON.parse(Buffer.from(tokens.accessToken.split(".")[1], "base64url")).sub);
});

test("one cookie jar, refreshed by ours, then the official handlers, then ours: every refresh rotates, none revokes", async () => {
  const { jar } = await signedUp(official);
  const seen = new Set([jar.cookies.get("__convexAuthRefreshToken")]);
  for (const app of [ours, official, ours]) {
    const answer = await refresh(app, jar);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.tokens.accessToken, jar.cookies.get("__convexAuthJWT"));
    seen.add(jar.cookies.get("__convexAuthRefreshToken"));
  }
  assert.equal(seen.size, 4, "each refresh set a new refresh token");
  const counts = await backend.controls();
  assert.equal(counts.refreshCalls, 3);
  assert.equal(counts.revokedSessions, 0);
});

test("five requests racing with one refresh token share one refresh (the official handlers make five)", async () => {
  for (const [app, calls] of [[ours, 1], [official, 5]]) {
    const { jar } = await signedUp(app);
    await backend.controls({ reset: true });
    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(app, jar.copy())));
    assert.ok(answers.every((a) => a.status === 200), answers.map((a) => a.status).join());
    assert.equal((await backend.controls()).refreshCalls, calls, app === ours ? "ours" : "official");
    if (app === ours) assert.equal(new Set(answers.map((a) => a.json.tokens.accessToken)).size, 1);
  }
  assert.equal((await backend.controls()).revokedSessions, 0);
});

test("from another site, or with no Origin: 403 {tokens:null} with a code, no call, no cookie", async () => {
  const { jar } = await signedUp();
  await backend.controls({ reset: true });
  for (const origin of ["http://evil.example", null, "null"]) {
    for (const path of ["/auth/refresh", "/auth/signout", "/auth/signin?path=/api/mutation"]) {
      const answer = await post(ours, path, { jar: jar.copy(), origin });
      assert.equal(answer.status, 403, `${path} from ${origin}`);
      assert.equal(answer.json.tokens, null);
      assert.equal(answer.json.code, "ERR_CROSS_SITE_REQUEST");
      assert.deepEqual(answer.setCookie, []);
    }
  }
  assert.deepEqual((await backend.controls()).functionCalls, {}, "nothing called");
  // A proxy that rewrites Host: the app's public origin in allowedOrigins is served.
  const proxiedApp = await startSsrApp(backend.cloudUrl, { implementation: "ours", hostSeen: "internal:8080", allowOwnOrigin: true });
  const stranger = await startSsrApp(backend.cloudUrl, { implementation: "ours", hostSeen: "internal:8080" });
  try {
    assert.equal((await refresh(proxiedApp, jar.copy())).status, 200);
    assert.equal((await refresh(stranger, jar.copy())).status, 403);
  } finally {
    await proxiedApp.stop();
    await stranger.stop();
  }
});

test("no session: 401 {tokens:null}; an unknown refresh token clears both cookies and revokes nothing", async () => {
  assert.deepEqual((await refresh(ours, new Jar())).json, { tokens: null });
  const jar = new Jar();
  jar.cookies.set("__convexAuthJWT", "stale.jwt.value");
  jar.cookies.set("__convexAuthRefreshToken", "unknown-refresh-token");
  const answer = await refresh(ours, jar);
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.json, { tokens: null });
  assert.equal(jar.cookies.size, 0, "both cookies cleared");
  for (const line of answer.setCookie) assert.match(line, /Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
  assert.equal((await backend.controls()).revokedSessions, 0);
});

test("an outage across a refresh: ours answers 503 ERR_AUTH_UNAVAILABLE and keeps the cookies (the official handler throws: 500)", async () => {
  for (const mode of ["503", "refuse"]) {
    const { jar } = await signedUp();
    const before = new Map(jar.cookies);
    await backend.controls({ mode });
    const answer = await refresh(ours, jar);
    assert.equal(answer.status, 503, `${mode}: ${answer.text}`);
    assert.deepEqual(answer.json, { error: answer.json.error, code: "ERR_AUTH_UNAVAILABLE", transient: true });
    assert.deepEqual(answer.setCookie, []);
    assert.deepEqual(jar.cookies, before);
    assert.equal((await refresh(official, jar.copy())).status, 500, `the official handler under ${mode}`);
    await backend.controls({ mode: "ok" });
    assert.equal((await refresh(ours, jar)).status, 200, "the session outlived the outage");
  }
  assert.equal((await backend.controls()).revokedSessions, 0);
});

test("a hung refresh blocks no other: a second session's refresh answers first (the official handler queues it behind)", async () => {
  for (const app of [ours, official]) {
    const [a, b] = [await signedUp(app), await signedUp(app)];
    await backend.controls({ mode: "slow", slowMs: 1500 });
    const order = [];
    const first = refresh(app, a.jar).then(() => order.push("hung"));
    await new Promise((ok) => setTimeout(ok, 200)); // the hung call has reached the deployment
    await backend.controls({ mode: "ok" });
    await refresh(app, b.jar).then(() => order.push("next"));
    await first;
    assert.deepEqual(order, app === ours ? ["next", "hung"] : ["hung", "next"], app === ours ? "ours" : "official");
  }
});

test("sign-out ends the session and clears the cookies; when the deployment cannot confirm, it still clears them and says so", async () => {
  const { jar } = await signedUp();
  const spare = jar.copy();
  const answer = await post(ours, "/auth/signout", { jar });
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, { tokens: null });
  assert.equal(jar.cookies.size, 0);
  assert.equal((await refresh(ours, spare)).status, 401, "the session is over at the deployment");

  const other = await signedUp();
  await backend.controls({ mode: "503" });
  const unconfirmed = await post(ours, "/auth/signout", { jar: other.jar });
  assert.equal(unconfirmed.status, 200);
  assert.equal(unconfirmed.json.tokens, null);
  assert.equal(unconfirmed.json.code, "ERR_SIGN_OUT_UNCONFIRMED");
  assert.equal(other.jar.cookies.size, 0, "cleared anyway");
});

test("the proxy: only the allowlisted sign-in functions, a refused password passed through, bad calls refused with codes", async () => {
  const { jar } = await signedUp();
  const username = `ssr-wrong-${Date.now()}`;
  await proxied(ours, new Jar(), "auth:signUpWithUsernamePassword", { username, password: PASSWORD });
  const wrong = await proxied(ours, new Jar(), "auth:signInWithUsernamePassword", { username, password: "not it" });
  const officialWrong = await proxied(official, new Jar(), "auth:signInWithUsernamePassword", { username, password: "not it" });
  assert.equal(wrong.status, officialWrong.status);
  assert.deepEqual(wrong.json, officialWrong.json, "the same answer as the official proxy");
  assert.deepEqual(wrong.setCookie, []);

  const hidden = await proxied(ours, jar.copy(), "auth:refreshSession", { refreshToken: jar.cookies.get("__convexAuthRefreshToken") });
  assert.equal(hidden.status, 403);
  assert.match(hidden.text, /ERR_SSR_FUNCTION_NOT_EXPOSED/);
  assert.equal((await post(ours, "/auth/signin", { body: "{}" })).status, 404);
  assert.match((await post(ours, "/auth/signin?path=/api/mutation", { body: "{not json" })).text, /ERR_ROUTE_BODY_INVALID/);
  const huge = await post(ours, "/auth/signin?path=/api/mutation", { body: JSON.stringify({ path: "x", format: "convex_encoded_json", args: ["a".repeat(70_000)] }) });
  assert.equal(huge.status, 413);
  // The same without a Content-Length (chunked): the read stops at the limit.
  let pulled = 0;
  const chunks = new ReadableStream({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode("a".repeat(16_384)));
      if (++pulled === 8) controller.close();
    },
  });
  const chunked = await fetch(`${ours.origin}/auth/signin?path=/api/mutation`, { method: "POST", headers: { origin: ours.origin }, body: chunks, duplex: "half" });
  assert.equal(chunked.status, 413);

  await backend.controls({ mode: "503" });
  const down = await proxied(ours, new Jar(), "auth:signInWithUsernamePassword", { username, password: PASSWORD });
  assert.equal(down.status, 503);
  assert.equal(down.json.code, "ERR_AUTH_UNAVAILABLE");
});

test("setup refuses cookie options without `secure` (ERR_CONFIG_INVALID naming the member)", async () => {
  const { setupConvexAuthServer } = await importInScratch("ssr-setup.mjs", 'export * from "convex-auth-wasm/ssr";\n');
  const config = { convexUrl: backend.cloudUrl, refreshSession: "auth:refreshSession", signOut: "auth:signOut", signIn: [] };
  for (const [cookieOptions, option] of [[undefined, "cookieOptions.secure"], [{ secure: "yes" }, "cookieOptions.secure"], [{ secure: true, path: "x" }, "cookieOptions.path"], [{ secure: true, domain: "a;b" }, "cookieOptions.domain"]]) {
    assert.throws(() => setupConvexAuthServer({ ...config, cookieOptions }), (e) => e.name === "ConvexAuthError" && e.code === "ERR_CONFIG_INVALID" && e.option === option);
  }
  assert.ok(setupConvexAuthServer({ ...config, cookieOptions: { secure: true, path: "/app", domain: "example.com" } }).refreshHandler);
});

test("a sign-out overtaking a refresh in flight: the refresh's answer clears the cookies, it does not bring the session back", async () => {
  const { jar } = await signedUp();
  const racing = jar.copy();
  await backend.controls({ mode: "slow", slowMs: 1000 });
  const refreshing = refresh(ours, racing);
  await new Promise((ok) => setTimeout(ok, 200)); // the refresh has reached the deployment
  await backend.controls({ mode: "ok" });
  assert.deepEqual((await post(ours, "/auth/signout", { jar })).json, { tokens: null });
  const answer = await refreshing;
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.json, { tokens: null });
  assert.equal(racing.cookies.size, 0, "the racing tab's cookies are cleared too");
});
