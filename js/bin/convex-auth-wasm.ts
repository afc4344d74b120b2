#!/usr/bin/env node
// npx convex-auth-wasm doctor — checks a Next.js + Convex Auth setup and prints each finding with its fix.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { diagnose } from "convex-auth-wasm/doctor";

const USAGE = `Usage: npx convex-auth-wasm doctor [options]

Checks the app's env files (.env.local, .env, …), the deployment, its keys and HTTP actions.

  --deployment-env <file|->  the deployment's environment: \`npx convex env list | … --deployment-env -\`
  --origin <url>             the app's origin (default: the deployment's SITE_URL)
  --route <path>             an HTTP action route to check (repeatable), e.g. --route /upload
  --token <jwt>              a token to verify
  --cwd <dir>                the Next.js app's directory (default: here)
  --json                     print the report as JSON
  -h, --help                 this text

Exit status: 1 when any error is found, 2 for a usage error.`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "deployment-env": { type: "string" },
      origin: { type: "string" },
      route: { type: "string", multiple: true },
      token: { type: "string" },
      cwd: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals[0] !== "doctor") {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const source = values["deployment-env"];
  const deploymentEnv = source === undefined ? undefined : readFileSync(source === "-" ? 0 : source, "utf8");
  const report = await diagnose({
    cwd: values.cwd,
    deploymentEnv,
    appOrigin: values.origin,
    routes: values.route,
    sampleToken: values.token,
    onProgress: values.json ? undefined : (message) => process.stderr.write(`  checking ${message}\n`),
  });
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + "\n" : report.text);
  return report.errors > 0 ? 1 : 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error) => {
    console.error(`convex-auth-wasm: ${(error as Error).message}`);
    process.exitCode = 2;
  },
);
