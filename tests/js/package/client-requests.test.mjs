// The packed client's requests in Node against a fake deployment (support/fake-deployment.mjs):
// redirects never carry a token, a refresh token or a body to another origin, and a 401 is
// retried once with a newer token — only when the body can be sent again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { importInScratch } from "../support/package.mjs";
import { startFakeDeployment } from "../support/fake-deployment.mjs";

const { client } = await importInScratch("imports-client.mjs", `export * as client from "convex-auth-wasm/client";\n`);
let d;
before(async () => (d = await startFakeDeployment()));
after(() => d.close());

async function signedIn() {
  const session = new client.SessionManager({ convexUrl: d.cloudUrl, siteUrl: d.siteUrl, storage: "memory" });
  const result = await session.signIn("password", { email: "a@b.c", password: "x", flow: "signIn" });
  assert.equal(result.signingIn, true);
  return session;
}

test("a redirected HTTP API call is refused: the credentials never reach the other origin", async () => {
  const session = await signedIn();
  d.state.apiRedirect = true;
  try {
    await assert.rejects(session.signIn("password", { email: "a@b.c", password: "secret" }), (err) => {
      assert.equal(err.code, "ERR_REDIRECT_REFUSED", err.message);
      assert.equal(err.status, 307);
      assert.match(err.location, /\/api\/action$/);
      return true;
    });
    // A refresh answered by a redirect is a transient failure: the session is kept.
    const token = await session.fetchAccessToken({ forceRefreshToken: true });
    assert.ok(token, "the current token, still valid");
    const state = session.getState();
    assert.equal(state.isAuthenticated, true);
    assert.equal(state.lastError.code, "ERR_REDIRECT_REFUSED");
    await assert.rejects(session.query("users:me", {}), { code: "ERR_REDIRECT_REFUSED" });
    assert.deepEqual(d.state.foreign, [], "nothing reached the other origin");
  } finally {
    d.state.apiRedirect = false;
    session.dispose();
  }
});

test("the authed fetch does not follow redirects unless the caller asks", async () => {
  const session = await signedIn();
  d.state.siteRoutes["/moved"] = (req, res, { foreign }) => res.writeHead(307, { location: `${foreign}/upload` }).end();
  await assert.rejects(session.fetch("/moved", { method: "POST", body: "private bytes" }), (err) => {
    assert.equal(err.code, "ERR_REDIRECT_REFUSED");
    assert.equal(err.location, `${d.foreignUrl}/upload`);
    assert.match(err.message, /redirect: "follow"/);
    return true;
  });
  assert.deepEqual(d.state.foreign, [], "neither the token nor the body left");
  await assert.rejects(session.fetch("/moved", { redirect: "bogus" }), { code: "ERR_REDIRECT_REFUSED" }, "an invalid mode is no choice");
  const manual = await session.fetch("/moved", { redirect: "manual" });
  assert.equal(manual.status, 307, "redirect: manual hands the answer back");
  const followed = await session.fetch("/moved", { method: "POST", body: "public", redirect: "follow" });
  assert.equal(followed.status, 200, "the caller's explicit choice is honoured");
  assert.equal(d.state.foreign.length, 1);
  d.state.foreign.length = 0;
  session.dispose();
});

test("a 401 refreshes once and retries a replayable body; a consumed stream is not re-sent", async () => {
  const session = await signedIn();
  const first = await session.fetchAccessToken();
  d.state.siteRoutes["/strict"] = (req, res) => {
    const fresh = req.headers.authorization !== `Bearer ${first}`;
    res.writeHead(fresh ? 200 : 401, { "content-type": "text/plain" }).end(fresh ? `got ${req.body}` : "stale");
  };
  const refreshes = d.state.refreshCalls;
  const retried = await session.fetch("/strict", { method: "POST", body: "hello" });
  assert.equal(retried.status, 200);
  assert.equal(await retried.text(), "got hello");
  assert.equal(d.state.refreshCalls, refreshes + 1, "one refresh");
  const attempts = d.state.site.filter((r) => r.url === "/strict");
  assert.equal(attempts.length, 2);
  assert.equal(attempts[1].body, "hello", "the body was sent again");
  // Now the route rejects every token: a stream body is not re-sent, the 401 comes back.
  d.state.siteRoutes["/strict"] = (req, res) => res.writeHead(401).end("no");
  d.state.site.length = 0;
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("once")); c.close(); } });
  const refused = await session.fetch("/strict", { method: "POST", body: stream, duplex: "half" });
  assert.equal(refused.status, 401);
  assert.equal(d.state.site.length, 1, "one attempt: the stream was consumed");
  session.dispose();
});

test("SessionManager's methods work unbound, and fetchAccessToken keeps one identity", async () => {
  const session = await signedIn();
  const { fetchAccessToken, getState, subscribe } = session;
  assert.equal(fetchAccessToken, session.fetchAccessToken);
  assert.match(await fetchAccessToken({ forceRefreshToken: false }), /^ey/);
  assert.equal(getState().isAuthenticated, true);
  const seen = [];
  const unsubscribe = subscribe((s) => seen.push(s.isAuthenticated));
  await session.signOut();
  unsubscribe();
  assert.ok(seen.includes(false));
  session.dispose();
});

test("fetchAccessTokenFor(client): one function per client; a forced fetch refreshes at once only when the socket is down", async () => {
  const session = await signedIn();
  const socket = { connected: true };
  const convex = { connectionState: () => ({ isWebSocketConnected: socket.connected }) };
  const fetchToken = session.fetchAccessTokenFor(convex);
  assert.equal(session.fetchAccessTokenFor(convex), fetchToken, "a stable identity per client");
  assert.notEqual(session.fetchAccessTokenFor({ connectionState: convex.connectionState }), fetchToken);
  const given = await fetchToken({ forceRefreshToken: false });
  const refreshes = d.state.refreshCalls;
  // Connected with a fresh token (the client confirms it, then asks for the next): no refresh yet.
  let settled = false;
  const next = fetchToken({ forceRefreshToken: true }).then((t) => ((settled = true), t));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(settled, false, "waits for the schedule");
  assert.equal(d.state.refreshCalls, refreshes);
  // The server rejected the token and the client stopped its socket: a replacement at once.
  socket.connected = false;
  const replacement = await fetchToken({ forceRefreshToken: true });
  assert.notEqual(replacement, given);
  assert.equal(d.state.refreshCalls, refreshes + 1);
  assert.equal(await next, replacement, "the waiting call gets the same new token");
  session.dispose();
});
