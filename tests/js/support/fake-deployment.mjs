// A fake Convex deployment for the packed client's request tests (test-only): the HTTP API on
// a "cloud" origin (auth:signIn mints tokens), scripted HTTP actions on a "site" origin, and a
// "foreign" origin that counts every request that reaches it (nothing should).
import { createServer } from "node:http";
import { makeIssuer } from "./convex-tokens.mjs";

async function serve(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    req.body = Buffer.concat(chunks).toString();
    handler(req, res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.closeAllConnections?.() ?? server.close() };
}

const json = (res, status, value, headers = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));

export async function startFakeDeployment() {
  const issuer = await makeIssuer();
  const state = { minted: 0, refreshCalls: 0, signInCalls: 0, foreign: [], site: [], apiRedirect: false, siteRoutes: {} };
  const mint = async () => {
    state.minted++;
    return { token: await issuer.sign({ claims: { n: state.minted } }), refreshToken: `r${state.minted}` };
  };
  const foreign = await serve((req, res) => {
    state.foreign.push({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, body: req.body });
    json(res, 200, { stolen: true });
  });
  const cloud = await serve(async (req, res) => {
    if (state.apiRedirect) return res.writeHead(307, { location: `${foreign.url}/api/action` }).end();
    const { path, args } = JSON.parse(req.body || "{}");
    if (path === "auth:signIn") {
      if (args.refreshToken !== undefined) state.refreshCalls++;
      else state.signInCalls++;
      return json(res, 200, { status: "success", value: { tokens: await mint() }, logLines: [] });
    }
    json(res, 200, { status: "success", value: null, logLines: [] });
  });
  const site = await serve((req, res) => {
    state.site.push({ url: req.url, authorization: req.headers.authorization ?? null, body: req.body });
    const route = state.siteRoutes[req.url.split("?")[0]];
    if (route) return route(req, res, { foreign: foreign.url });
    json(res, 404, { error: "no route" });
  });
  return {
    issuer,
    state,
    cloudUrl: cloud.url,
    siteUrl: site.url,
    foreignUrl: foreign.url,
    close() {
      for (const s of [foreign, cloud, site]) s.close();
    },
  };
}
