// Starts the local backend (www/backend: the real @convex-dev/auth server code, with its
// test-only controls) on free loopback ports.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { freePortPair } from "./ports.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const www = join(here, "..", "..", "..", "www");
export const bin = (name) => join(www, "node_modules", ".bin", name);

export function spawnLogged(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: www, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { child, output: () => output };
}

export async function waitFor(check, what, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {}
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the backend; `env` adds to (or overrides) its environment. */
export async function startBackend({ appUrl = "http://localhost:3000", jwtLifetime = 3600, env = {} } = {}) {
  const [cloudPort, sitePort] = await freePortPair();
  const cloudUrl = `http://127.0.0.1:${cloudPort}`;
  const readyFile = join(tmpdir(), `convex-auth-wasm-backend-${cloudPort}.json`);
  rmSync(readyFile, { force: true });
  const backend = spawnLogged(bin("tsx"), ["backend/main.ts"], {
    CLOUD_PORT: String(cloudPort),
    SITE_PORT: String(sitePort),
    SITE_URL: appUrl,
    AUTH_JWT_LIFETIME_SECONDS: String(jwtLifetime),
    BACKEND_TEST_CONTROLS: "1",
    READY_FILE: readyFile,
    ...env,
  });
  await waitFor(() => JSON.parse(readFileSync(readyFile, "utf8")).cloudUrl === cloudUrl, "the backend");
  const { siteUrl, jwks } = JSON.parse(readFileSync(readyFile, "utf8"));
  return { cloudUrl, siteUrl, jwks, logs: backend.output, stop: () => backend.child.kill() };
}
