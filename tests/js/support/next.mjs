// Builds and starts Next.js fixtures (tests/js/fixtures/*) with the packed package installed
// from its tarball: a real `next build` and `next start`, on a free loopback port.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { freePort } from "./ports.mjs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { installPackage } from "./package.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "fixtures");
const nextBin = join(here, "..", "node_modules", "next", "dist", "bin", "next");

/** Copies fixture `name` into the scratch project as `as` (leaving out what `skip` says), installs the package, builds it. */
export function buildFixture(name, { as = name, skip = () => false, env = {}, webpack = false, transform } = {}) {
  const scratch = installPackage();
  const app = join(scratch, as);
  rmSync(app, { recursive: true, force: true });
  cpSync(join(fixtures, name), app, { recursive: true, filter: (src) => !skip(src) });
  // `transform(source)` rewrites every .ts/.tsx source (a migration); `changed` lists the files it changed.
  const changed = transform ? rewriteSources(app, transform) : [];
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  // No lock file in the app: Turbopack then takes tests/js (where `next` is installed) as its root.
  execFileSync("npm", ["install", "--no-package-lock", "--no-audit", "--no-fund", "--silent", join(scratch, tarball)], { cwd: app });
  const started = Date.now();
  execFileSync(process.execPath, [nextBin, "build", ...(webpack ? ["--webpack"] : [])], {
    cwd: app,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "pipe",
  });
  return { app, changed, buildSeconds: (Date.now() - started) / 1000 };
}

function rewriteSources(dir, transform) {
  return readdirSync(dir, { recursive: true })
    .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("node_modules"))
    .filter((file) => {
      const path = join(dir, file);
      const source = readFileSync(path, "utf8");
      const rewritten = transform(source);
      if (rewritten !== source) writeFileSync(path, rewritten);
      return rewritten !== source;
    });
}

/** `next start` of a built app (with `next`, the app's own Next.js); resolves with `{ url, output, stop }` once it answers. */
export async function startBuilt(app, env = {}, port, next = nextBin) {
  port ??= await freePort();
  const server = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: app,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" },
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
  const exited = new Promise((r) => server.once("exit", r));
  return { url, port, output: () => output, stop: () => (server.kill(), exited) };
}

/**
 * Builds the verifier fixture (next-app) with `entry` ("proxy" → proxy.ts on Node, "middleware"
 * → middleware.ts on the edge runtime) and starts it; Turbopack unless `webpack`.
 */
export async function buildAndStart(entry, env, { webpack = false } = {}) {
  const { app, buildSeconds } = buildFixture("next-app", {
    as: `next-${entry}${webpack ? "-webpack" : ""}`,
    skip: (src) => src.endsWith(entry === "proxy" ? "middleware.ts" : "proxy.ts"),
    env,
    webpack,
  });
  return { ...(await startBuilt(app, env)), buildSeconds };
}
