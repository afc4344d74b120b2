// Runs the packed package's CLI (`npx convex-auth-wasm …`) as a user would, from an app directory,
// with the Convex URL variables of this process removed (the app's own env files must decide).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { installPackage } from "./package.mjs";

export const cli = join(installPackage(), "node_modules", "convex-auth-wasm", "bin", "convex-auth-wasm.js");

/** Runs the CLI with `argv` in `dir` (asynchronously: a test may serve the deployment itself);
 *  `stdin` is written to it, `nodeArgs` go to Node, `env` adds to its environment. Resolves with
 *  `{ status, stdout, stderr }`. */
export function cliRun(dir, argv, { stdin, nodeArgs = [], env: extra = {} } = {}) {
  const env = { ...process.env, ...extra };
  for (const name of ["NEXT_PUBLIC_CONVEX_URL", "NEXT_PUBLIC_CONVEX_SITE_URL", "CONVEX_URL", "CONVEX_SITE_URL"]) delete env[name];
  const child = spawn(process.execPath, [...nodeArgs, cli, ...argv], { cwd: dir, env, timeout: 60_000 });
  let [stdout, stderr] = ["", ""];
  child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
  child.stdin.on("error", () => {}); // the CLI may exit without reading it
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}
