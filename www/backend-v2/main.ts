// A local Convex deployment running Convex Auth 2 (@convex-dev/auth 2.0.0) for the tests and the
// demo, next to the 0.x one in ../backend. Two loopback origins:
//   cloud — the HTTP API, the sync WebSocket (../backend/sync.ts; Authenticate checks the v2
//           token against this deployment's JWKS), /.well-known/jwks.json (the EC P-256 key
//           `ctx.auth.signJwt` signs with), and /__test/controls;
//   site  — the http router (convex/http.ts) and the GitHub component's OAuth callback
//           (/oauth/github/callback: component-http.ts; GitHub itself answered by fake-github.ts).
// Like the 0.x backend: in-memory data, functions serialised, every subscribed query re-run
// after every commit.
//
// Env: CLOUD_PORT (3220), SITE_PORT (3221) — 0 picks free ports; AUTH_ACCESS_TOKEN_TTL_SECONDS
// (60); SITE_URL (http://localhost:3000: the app the emailed links open, and a passkey origin);
// AUTH_ORIGINS (more passkey origins, comma-separated); READY_FILE (writes
// {cloudUrl, siteUrl, jwks} once listening); BACKEND_TEST_CONTROLS=1
// (outage switch, counters, driven clock: see controls.ts).
import "./wasm-modules"; // first: the password component imports a .wasm file
import { serveSync } from "../backend/sync";
import { controls } from "./controls";
import { installShiftedDate } from "../backend/clock";
import { listen, serveUntilStopped, type Handler } from "../backend/http";
import { createDeployment } from "./deployment";
import { createVerify } from "./verify";
import { createRunner } from "./observe";
import { cloudHandler } from "./cloud";
import { siteHandler } from "./site";
import { siteOrigins } from "./convex/siteOrigins";
import { installFakeGithub } from "./fake-github";

const env = process.env;
const testControls = env.BACKEND_TEST_CONTROLS === "1";
if (testControls) installShiftedDate(() => controls.clockOffsetMs); // convex-test signs with Date.now()

async function main() {
  // Bind first (ports may be 0), then give the functions their URLs, then serve.
  const handlers: Handler[] = [];
  const cloud = await listen((req, res) => handlers[0](req, res), Number(env.CLOUD_PORT ?? 3220));
  const site = await listen((req, res) => handlers[1](req, res), Number(env.SITE_PORT ?? 3221));
  // A deployment's built-in variables: the token issuer and auth.config.ts are derived from them.
  // (convex-test gives every component this one environment: CONVEX_SITE_URL is the site URL as
  // the GitHub component sees it, under its httpPrefix; CLIENT_ID/CLIENT_SECRET are its own.)
  Object.assign(env, { CONVEX_CLOUD_URL: cloud.url, CONVEX_SITE_URL: `${site.url}/oauth/github` });
  // Without a GitHub OAuth app of its own, GitHub's side is played here (never with a real one).
  if (env.CLIENT_ID === undefined) {
    Object.assign(env, { CLIENT_ID: "local-github-client", CLIENT_SECRET: "local-github-secret" });
    installFakeGithub();
  }

  const deployment = await createDeployment();
  const jwks = await deployment.jwks();
  const verify = await createVerify(jwks);
  const sync = serveSync(cloud.server, verify, (...call) => run(...call), () => controls.mode === "ok");
  const run = createRunner(deployment, () => sync.commit());

  handlers[0] = cloudHandler({ run, verify, jwks, sync, mailbox: deployment.mailbox, appOrigins: siteOrigins(), testControls });
  handlers[1] = siteHandler(deployment, verify);

  serveUntilStopped(
    cloud,
    site,
    JSON.stringify(jwks),
    `Convex backend, Convex Auth 2 (local, in-memory) ready:\n  cloud (functions, HTTP API, sync, JWKS): ${cloud.url}\n  site  (HTTP actions):                    ${site.url}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
