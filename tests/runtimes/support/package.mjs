// Installs the built package from its packed tarball into tests/runtimes/.scratch, as a user
// would (`npm pack pkg/` + `npm install <tarball>`), the way tests/js/support/package.mjs does for
// tests/js; reused while pkg/.build-hash is unchanged. Copies the probe scripts in beside it.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const runtimesDir = join(here, "..");
export const repoRoot = join(runtimesDir, "..", "..");
export const scratch = join(runtimesDir, ".scratch");
export const bin = (name) => join(runtimesDir, "node_modules", ".bin", name);
const pkgDir = join(repoRoot, "pkg");

const buildHash = () => {
  const file = join(pkgDir, ".build-hash");
  if (!existsSync(file)) throw new Error("pkg/.build-hash is missing: pkg/ is not built (or is being rebuilt); run scripts/build.sh first");
  return readFileSync(file, "utf8").trim();
};

export function installPackage() {
  const hash = buildHash();
  const stamp = join(scratch, ".installed-hash");
  if (!(existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash)) {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const tarball = execFileSync("npm", ["pack", pkgDir, "--pack-destination", scratch, "--silent"], { encoding: "utf8", timeout: 60_000 })
      .trim().split("\n").pop();
    if (buildHash() !== hash) throw new Error("pkg/ changed while it was being packed; run again");
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "runtimes-scratch", private: true, type: "module" }));
    // The tarball's one dependency (path-to-regexp) comes from npm's cache when it is there.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", `./${tarball}`], { cwd: scratch, timeout: 120_000 });
    writeFileSync(stamp, hash);
  }
  for (const file of readdirSync(here)) if (/^(probe|cli|worker)\.mjs$/.test(file)) copyFileSync(join(here, file), join(scratch, file));
  return scratch;
}

/** Runs `cmd args` (cwd: the scratch project) and resolves with its last stdout line as JSON. */
export function runJson(cmd, args, { cwd = scratch, env = {}, timeoutMs = 25_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").pop();
      if (code !== 0) return reject(new Error(`${cmd} exited ${code ?? signal}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      try {
        resolve({ result: JSON.parse(last), stderr });
      } catch {
        reject(new Error(`${cmd} printed no JSON\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      }
    });
  });
}
