#!/usr/bin/env node
// npx convex-auth-wasm doctor — checks a Next.js + Convex Auth setup and prints each finding with its fix.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { diagnose, migrationSteps } from "convex-auth-wasm/doctor";

const USAGE = `Usage: npx convex-auth-wasm doctor [options]

Checks the app's env files (.env.local, .env, …), which Convex Auth it runs (package.json,
convex/auth.config.ts: 0.x or 2), the deployment, its keys and HTTP actions.

  --deployment-env <file|->  the deployment's environment: \`npx convex env list | … --deployment-env -\`
  --origin <url>             the app's origin (default: the deployment's SITE_URL)
  --route <path>             an HTTP action route to check (repeatable), e.g. --route /upload
  --token-file <file>        a token to verify, read from a file
  --token -                  a token to verify, read from stdin
  --token <jwt>              a token to verify, given inline (it stays in your shell history)
  --cwd <dir>                the Next.js app's directory (default: here)
  --migrate                  print the steps from Convex Auth 0.x to 2.0 for this app, and exit
  --json                     print the report as JSON
  -h, --help                 this text

Only one of --deployment-env and --token can read stdin.

Exit status: 0 no errors found (warnings may be), 1 errors found, 2 a usage error,
3 the doctor itself failed (a bug: please report it).`;

/** The exit statuses. */
const EXIT = { clean: 0, errorsFound: 1, usage: 2, crashed: 3 } as const;

/** A mistake in the command line or its input files: exit status 2, not a crash. */
class UsageError extends Error {}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return EXIT.clean;
  }
  if (positionals.length !== 1 || positionals[0] !== "doctor") {
    throw new UsageError(positionals.length ? `unknown command: ${positionals.join(" ")}` : "no command given");
  }
  const envSource = values["deployment-env"];
  if (values.migrate) {
    const deploymentEnv = envSource === undefined ? undefined : readInput(envSource, "the deployment's environment");
    process.stdout.write(`${await migrationSteps({ cwd: values.cwd, deploymentEnv })}\n`);
    return EXIT.clean;
  }
  const tokenSource = values["token-file"] ?? (values.token === "-" ? "-" : undefined);
  if (values.token !== undefined && values["token-file"] !== undefined) {
    throw new UsageError("give --token or --token-file, not both");
  }
  if (envSource === "-" && tokenSource === "-") {
    throw new UsageError("--deployment-env and the token cannot both be read from stdin: put one in a file");
  }
  const deploymentEnv = envSource === undefined ? undefined : readInput(envSource, "the deployment's environment");
  const sampleToken = tokenSource === undefined ? values.token : readInput(tokenSource, "the token").trim();
  if (sampleToken === "") {
    throw new UsageError(`no token in ${tokenSource === undefined ? "--token" : where(tokenSource)}`);
  }
  const report = await diagnose({
    cwd: values.cwd,
    deploymentEnv,
    appOrigin: values.origin,
    routes: values.route,
    sampleToken,
    onProgress: values.json ? undefined : (message) => process.stderr.write(`  checking ${message}\n`),
  });
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + "\n" : report.text);
  return report.errors > 0 ? EXIT.errorsFound : EXIT.clean;
}

/** The options; an unknown or malformed one is a usage error. */
function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        "deployment-env": { type: "string" },
        origin: { type: "string" },
        route: { type: "string", multiple: true },
        token: { type: "string" },
        "token-file": { type: "string" },
        cwd: { type: "string" },
        json: { type: "boolean" },
        migrate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const where = (source: string) => (source === "-" ? "stdin" : source);

/** The text of a file, or of stdin for `-`; one that cannot be read is a usage error. */
function readInput(source: string, what: string): string {
  try {
    return readFileSync(source === "-" ? 0 : source, "utf8");
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${what} from ${where(source)}: ${why}`);
  }
}

main().then(
  (status) => (process.exitCode = status),
  (error) => {
    if (error instanceof UsageError) {
      console.error(`convex-auth-wasm: ${error.message}\nRun \`npx convex-auth-wasm --help\` for the options.`);
      process.exitCode = EXIT.usage;
    } else {
      console.error(`convex-auth-wasm doctor failed (a bug: please report it):\n${(error as Error)?.stack ?? error}`);
      process.exitCode = EXIT.crashed;
    }
  },
);
