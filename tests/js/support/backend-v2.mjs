// Starts the local Convex Auth 2 backend (www/backend-v2: the real @convex-dev/auth 2.0.0 server
// code in convex-test, with its test-only controls) on a free loopback port pair.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { www, waitFor } from "./backend.mjs";
import { freePortPair } from "./ports.mjs";

export const backendV2 = join(www, "backend-v2");

/** Starts the backend; `env` adds to (or overrides) its environment (e.g.
 *  AUTH_ACCESS_TOKEN_TTL_SECONDS). `controls(change?)` reads the test controls, or POSTs a change
 *  first (`{reset: true}`, `{advanceMs}`, `{mode}`, `{dropSockets: true}`). */
export async function startBackendV2({ env = {} } = {}) {
  const [cloudPort, sitePort] = await freePortPair();
  const cloudUrl = `http://127.0.0.1:${cloudPort}`;
  const readyFile = join(tmpdir(), `convex-auth-wasm-backend-v2-${cloudPort}.json`);
  rmSync(readyFile, { force: true });
  const child = spawn(join(backendV2, "node_modules", ".bin", "tsx"), ["main.ts"], {
    cwd: backendV2,
    env: {
      ...process.env,
      CLOUD_PORT: String(cloudPort),
      SITE_PORT: String(sitePort),
      BACKEND_TEST_CONTROLS: "1",
      READY_FILE: readyFile,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((ok) => child.once("exit", ok));
  try {
    await waitFor(() => child.exitCode === null && JSON.parse(readFileSync(readyFile, "utf8")).cloudUrl === cloudUrl, "the v2 backend");
  } catch (e) {
    child.kill();
    throw new Error(`${e.message}; its output:\n${output}`);
  }
  const { siteUrl, jwks } = JSON.parse(readFileSync(readyFile, "utf8"));
  const controls = async (change) => {
    const init = change ? { method: "POST", body: JSON.stringify(change) } : {};
    const res = await fetch(`${cloudUrl}/__test/controls`, init);
    if (!res.ok) throw new Error(`controls: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill();
    await exited;
    rmSync(readyFile, { force: true });
  };
  return { cloudUrl, siteUrl, jwks, controls, logs: () => output, stop };
}

/** Signs `username` up by password on the deployment at `cloudUrl`; resolves with the access
 *  token it minted and the session id its `sub` names. */
export async function signUpV2(cloudUrl, username) {
  const res = await fetch(`${cloudUrl}/api/mutation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", args: { username, password: "correct horse battery" }, format: "json" }),
  });
  const token = (await res.json()).value.tokens.accessToken;
  return { token, session: JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).sub };
}

/** A token minted by a local v2 deployment started for it (and stopped after), with that
 *  deployment's URL and JWKS: `{ convexUrl, jwks, token, session }`. */
export async function mintedV2Token(username) {
  const backend = await startBackendV2();
  try {
    return { convexUrl: backend.cloudUrl, jwks: backend.jwks, ...(await signUpV2(backend.cloudUrl, username)) };
  } finally {
    await backend.stop();
  }
}
