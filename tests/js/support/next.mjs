// Builds and starts the Next.js fixture (tests/js/fixtures/next-app) with the packed package
// installed from its tarball: a real `next build` and `next start`, on a free loopback port.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, rmSync, readdirSync } from "node:fs";
import { freePort } from "./ports.mjs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { installPackage } from "./package.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "..", "fixtures", "next-app");
const nextBin = join(here, "..", "node_modules", "next", "dist", "bin", "next");


/**
 * Builds the fixture with `entry` ("proxy" → proxy.ts on Node, "middleware" → middleware.ts on
 * the edge runtime) and starts it; Turbopack unless `webpack`. Resolves with `{ url, buildSeconds, stop }`.
 */
export async function buildAndStart(entry, env, { webpack = false } = {}) {
  const scratch = installPackage();
  const app = join(scratch, `next-${entry}${webpack ? "-webpack" : ""}`);
  rmSync(app, { recursive: true, force: true });
  cpSync(fixture, app, {
    recursive: true,
    filter: (src) => !src.endsWith(entry === "proxy" ? "middleware.ts" : "proxy.ts"),
  });
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  // No lock file in the app: Turbopack then takes tests/js (where `next` is installed) as its root.
  execFileSync("npm", ["install", "--no-package-lock", "--no-audit", "--no-fund", "--silent", join(scratch, tarball)], { cwd: app });
  const childEnv = { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" };
  const started = Date.now();
  execFileSync(process.execPath, [nextBin, "build", ...(webpack ? ["--webpack"] : [])], { cwd: app, env: childEnv, stdio: "pipe" });
  const buildSeconds = (Date.now() - started) / 1000;
  const port = await freePort();
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: app,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url + "/");
      break;
    } catch {
      if (i > 100 || server.exitCode !== null) throw new Error(`next start failed:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, buildSeconds, output: () => output, stop: () => server.kill() };
}
