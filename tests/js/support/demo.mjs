// Runs the demo for end-to-end tests: the local backend (real @convex-dev/auth server code, with
// its test-only fault switch enabled) and the www app as a production build (`next build` +
// `next start`), all on free loopback ports.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { freePort } from "./ports.mjs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const www = join(here, "..", "..", "..", "www");
const bin = (name) => join(www, "node_modules", ".bin", name);


function spawnLogged(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: www, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { child, output: () => output };
}

async function waitFor(check, what, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {}
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts backend + app; `jwtLifetime` in seconds. */
export async function startDemo({ jwtLifetime = 3600 } = {}) {
  const [appPort, cloudPort, sitePort] = [await freePort(), await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const cloudUrl = `http://127.0.0.1:${cloudPort}`;
  const siteUrl = `http://127.0.0.1:${sitePort}`;
  const readyFile = join(www, ".backend-ready.json");
  rmSync(readyFile, { force: true });
  const backend = spawnLogged(bin("tsx"), ["backend/main.ts"], {
    CLOUD_PORT: String(cloudPort),
    SITE_PORT: String(sitePort),
    SITE_URL: appUrl,
    AUTH_JWT_LIFETIME_SECONDS: String(jwtLifetime),
    BACKEND_TEST_CONTROLS: "1",
    READY_FILE: readyFile,
  });
  const publicEnv = { NEXT_PUBLIC_CONVEX_URL: cloudUrl, NEXT_PUBLIC_CONVEX_SITE_URL: siteUrl, NEXT_TELEMETRY_DISABLED: "1" };
  const started = Date.now();
  execFileSync(bin("next"), ["build"], { cwd: www, env: { ...process.env, ...publicEnv }, stdio: "pipe" });
  const buildSeconds = (Date.now() - started) / 1000;
  const app = spawnLogged(bin("next"), ["start", "-p", String(appPort), "-H", "127.0.0.1"], publicEnv);
  await waitFor(() => JSON.parse(readFileSync(readyFile, "utf8")).cloudUrl === cloudUrl, "the backend");
  await waitFor(async () => (await fetch(appUrl)).ok, "next start");
  const controls = async (change) => {
    const res = await fetch(`${cloudUrl}/__test/controls`, change ? { method: "POST", body: JSON.stringify(change) } : {});
    return res.json();
  };
  return {
    appUrl,
    cloudUrl,
    siteUrl,
    buildSeconds,
    controls,
    logs: () => `--- backend ---\n${backend.output()}\n--- app ---\n${app.output()}`,
    stop() {
      app.child.kill();
      backend.child.kill();
    },
  };
}
