// convex-auth-wasm/doctor: names the misconfigurations behind most Convex Auth breakage. The
// rules are the wasm core's; this file reads the app's env files, makes the requests the core
// plans (each bounded by a timeout and a body size cap), imports JWT_PRIVATE_KEY with
// node:crypto, and hands every observation back. Node only.
/// <reference types="node" />
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { doctorCodes, doctorJudge, doctorMigrate, doctorPlan } from "./convex_auth_doctor.js";

/** The app's env files, in Next.js precedence (development). */
export const ENV_FILES = [".env.development.local", ".env.local", ".env.development", ".env"];

/** What to diagnose. Everything is optional; `cwd`'s env files and `process.env` are read by default. */
export interface DiagnoseInput {
  /** The Next.js app's directory (default: the current one). */
  cwd?: string;
  /** The app's env files; default: those of {@link ENV_FILES} found in `cwd`. */
  appFiles?: { name: string; text: string }[];
  /** The app's process environment; default `process.env`. */
  processEnv?: Record<string, string | undefined>;
  /** The deployment's environment: the output of `npx convex env list`. Never printed back. */
  deploymentEnv?: string;
  /** The app's origin (default: the deployment's SITE_URL). */
  appOrigin?: string;
  /** HTTP action routes to probe: paths ("/upload") or absolute URLs. */
  routes?: string[];
  /** A JWT to verify, e.g. from `await session.fetchAccessToken()`. */
  sampleToken?: string;
  /** The app's package.json text; default: read from `cwd`. Says which Convex Auth it runs. */
  packageJson?: string;
  /** The app's convex/auth.config.ts (or .js) text; default: read from `cwd`. */
  authConfig?: string;
  /** Called as each network check starts. */
  onProgress?: (message: string) => void;
}

export type Severity = "error" | "warning";
export type Group = "app-env" | "deployment-env" | "keys" | "http-actions" | "token" | "deployment" | "ssr";

/** One thing that is wrong, and how to fix it. */
export interface Finding {
  code: string;
  severity: Severity;
  group: Group;
  problem: string;
  fix: string;
  /** The underlying error code, e.g. the verifier's `ERR_JWT_EXPIRED`. */
  cause?: string;
}

/** The doctor's answer. */
export interface Report {
  summary: {
    convexUrl: string | null;
    siteUrl: string | null;
    appOrigin: string | null;
    deploymentEnv: boolean;
    /** The Convex Auth the app runs, from its package.json and convex/auth.config.ts. */
    generation: "0.x" | "2";
  };
  findings: Finding[];
  errors: number;
  warnings: number;
  /** The readable report, as the CLI prints it. */
  text: string;
}

type Probe = {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
};
type Plan = { probes: Probe[]; privateKeyPkcs8: string | null };
type Observation = {
  id: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyTruncated?: boolean;
  error?: string;
  receivedAtMs: number;
};

/** Every finding code. */
export function findingCodes(): string[] {
  return doctorCodes();
}

/** Runs every check; resolves with the report (it never rejects for a network failure). */
export async function diagnose(options: DiagnoseInput = {}): Promise<Report> {
  const input = await readInput(options);
  const plan = doctorPlan(input) as Plan;
  const [observations, key] = await Promise.all([
    Promise.all(plan.probes.map((probe) => observe(probe, options.onProgress))),
    plan.privateKeyPkcs8 ? importPrivateKey(plan.privateKeyPkcs8) : undefined,
  ]);
  return doctorJudge(input, observations, key) as Report;
}

/**
 * The steps that take the app from Convex Auth 0.x to 2.0, by file, with the environment
 * cleanup and the fact that users sign in again (the official release ships none).
 */
export async function migrationSteps(options: DiagnoseInput = {}): Promise<string> {
  return doctorMigrate(await readInput(options));
}

async function readInput(options: DiagnoseInput) {
  const cwd = options.cwd ?? process.cwd();
  return {
    appFiles: options.appFiles ?? (await readEnvFiles(cwd)),
    processEnv: definedOnly(options.processEnv ?? process.env),
    deploymentEnv: options.deploymentEnv,
    appOrigin: options.appOrigin,
    routes: options.routes ?? [],
    sampleToken: options.sampleToken,
    packageJson: options.packageJson ?? (await readOptional(join(cwd, "package.json"))),
    convexInstalled: await readOptional(join(cwd, "node_modules", "convex", "package.json")).then(
      (text) => (text ? (JSON.parse(text) as { version?: string }).version : undefined),
      () => undefined,
    ),
    authConfig:
      options.authConfig ??
      (await readOptional(join(cwd, "convex", "auth.config.ts"))) ??
      (await readOptional(join(cwd, "convex", "auth.config.js"))),
  };
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch(() => undefined);
}

async function readEnvFiles(cwd: string) {
  const files = [];
  for (const name of ENV_FILES) {
    try {
      files.push({ name, text: await readFile(join(cwd, name), "utf8") });
    } catch {
      // absent
    }
  }
  return files;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Makes one planned request; a failure is an observation too. */
async function observe(probe: Probe, onProgress?: (message: string) => void): Promise<Observation> {
  onProgress?.(`${probe.method} ${probe.url}`);
  try {
    const res = await fetch(probe.url, {
      method: probe.method,
      headers: probe.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(probe.timeoutMs),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    // Each cookie on a line of its own (a comma may be inside one, in Expires).
    const cookies = res.headers.getSetCookie();
    if (cookies.length) headers["set-cookie"] = cookies.join("\n");
    const receivedAtMs = Date.now();
    const { body, truncated } = await readCapped(res, probe.maxBodyBytes);
    return { id: probe.id, status: res.status, headers, body, bodyTruncated: truncated, receivedAtMs };
  } catch (e) {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      error.name === "TimeoutError"
        ? `timeout after ${probe.timeoutMs} ms`
        : (error.cause?.code ?? error.cause?.message ?? error.message);
    return { id: probe.id, error: why, receivedAtMs: Date.now() };
  }
}

/** The body as text, reading at most `limit` bytes: past them the stream is cancelled (the rest
 *  is never downloaded) and `truncated` is set. */
async function readCapped(res: Response, limit: number): Promise<{ body: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}

/** What node:crypto makes of JWT_PRIVATE_KEY's PKCS#8 bytes (the secret never leaves this function). */
async function importPrivateKey(pkcs8: string) {
  const { createPrivateKey } = await import("node:crypto");
  try {
    const key = createPrivateKey({ key: Buffer.from(pkcs8, "base64"), format: "der", type: "pkcs8" });
    const jwk = key.asymmetricKeyType === "rsa" ? key.export({ format: "jwk" }) : undefined;
    return { parsed: true, keyType: key.asymmetricKeyType, n: jwk?.n };
  } catch (e) {
    return { parsed: false, error: (e as Error).message };
  }
}
