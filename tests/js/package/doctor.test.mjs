// `npx convex-auth-wasm doctor` from the packed package, against the local backend (the real
// Convex Auth server code) started with one misconfiguration at a time: each is named with its
// code and fix; a correct setup has no findings; an unreachable deployment is a finding, not a crash.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import { installPackage } from "../support/package.mjs";
import { startBackend } from "../support/backend.mjs";
import { freePort } from "../support/ports.mjs";

const APP = "http://localhost:3000";
const cli = join(installPackage(), "node_modules", "convex-auth-wasm", "bin", "convex-auth-wasm.js");
const backends = [];
after(() => backends.forEach((b) => b.stop()));

/** A key pair as `npx @convex-dev/auth` writes it: PKCS#8 on one line, a one-key JWKS. */
async function keyPair() {
  const keys = await generateKeyPair("RS256", { extractable: true });
  const privateKey = (await exportPKCS8(keys.privateKey)).trimEnd().replace(/\n/g, " ");
  const jwks = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(keys.publicKey)) }] });
  return { privateKey, jwks };
}

/** A backend with the given deployment environment; returns it with `npx convex env list`'s text. */
async function deployment({ privateKey, jwks, env = {} }) {
  const backend = await startBackend({ appUrl: APP, env: { JWT_PRIVATE_KEY: privateKey, JWKS: jwks, ...env } });
  backends.push(backend);
  const listing = `JWKS=${jwks}\nJWT_PRIVATE_KEY=${privateKey}\nSITE_URL=${APP}\n`;
  return { ...backend, listing };
}

/** A Next.js app directory whose .env.local points at `backend`. */
function appFor({ cloudUrl, siteUrl }, extra = "") {
  const dir = mkdtempSync(join(tmpdir(), "doctor-app-"));
  writeFileSync(join(dir, ".env.local"), `NEXT_PUBLIC_CONVEX_URL=${cloudUrl}\nNEXT_PUBLIC_CONVEX_SITE_URL=${siteUrl}\n${extra}`);
  return dir;
}

function doctor(dir, args, { stdin, json = true } = {}) {
  const env = { ...process.env };
  for (const name of ["NEXT_PUBLIC_CONVEX_URL", "NEXT_PUBLIC_CONVEX_SITE_URL", "CONVEX_URL", "CONVEX_SITE_URL"]) delete env[name];
  const run = spawnSync(process.execPath, [cli, "doctor", ...(json ? ["--json"] : []), ...args], {
    cwd: dir,
    input: stdin,
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, report: json && run.stdout ? JSON.parse(run.stdout) : null };
}

const codes = (report) => report.findings.map((f) => f.code).sort();

async function signUp({ cloudUrl }) {
  const res = await fetch(`${cloudUrl}/api/action`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      path: "auth:signIn",
      args: { provider: "password", params: { email: `doc${Date.now()}@example.com`, password: "correct horse battery", flow: "signUp" } },
      format: "json",
    }),
  });
  const body = await res.json();
  assert.equal(body.status, "success", JSON.stringify(body));
  return body.value.tokens.token;
}

let good;
let keys;
before(async () => {
  keys = await keyPair();
  good = await deployment(keys);
});

test("a correct setup reports no findings (with a route, a real token, the deployment's env)", { timeout: 60_000 }, async () => {
  const dir = appFor(good);
  const listing = join(dir, "env.txt");
  writeFileSync(listing, good.listing);
  const token = await signUp(good);
  const { status, report } = doctor(dir, ["--deployment-env", listing, "--origin", APP, "--route", "/whoami", "--token", token]);
  assert.deepEqual(report.findings, [], JSON.stringify(report.findings, null, 2));
  assert.equal(status, 0);
  assert.equal(report.summary.siteUrl, good.siteUrl);
  // The readable report, with progress on stderr while the checks run.
  const text = doctor(dir, ["--deployment-env", listing, "--route", "/whoami"], { json: false });
  assert.match(text.stdout, /No problems found\./);
  assert.match(text.stderr, /checking GET .*\/\.well-known\/openid-configuration/);
});

test("a JWKS that does not match the private key (and a token the deployment signed with it)", { timeout: 60_000 }, async () => {
  const other = await keyPair();
  const mismatched = await deployment({ privateKey: keys.privateKey, jwks: other.jwks });
  const token = await signUp(mismatched);
  const { status, report } = doctor(appFor(mismatched), ["--deployment-env", "-", "--token", token], { stdin: mismatched.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["JWKS_KEY_MISMATCH", "SAMPLE_TOKEN_INVALID"]);
  const sample = report.findings.find((f) => f.code === "SAMPLE_TOKEN_INVALID");
  assert.equal(sample.cause, "ERR_JWT_SIGNATURE_INVALID");
  assert.match(report.findings.find((f) => f.code === "JWKS_KEY_MISMATCH").fix, /npx @convex-dev\/auth/);
});

test("a deployment whose issuer is its .convex.cloud URL", { timeout: 60_000 }, async () => {
  const cloudIssuer = await deployment({ ...keys, env: { TEST_ISSUER_OVERRIDE: "https://happy-otter-123.convex.cloud" } });
  const { status, report } = doctor(appFor(cloudIssuer), ["--deployment-env", "-"], { stdin: cloudIssuer.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["ISSUER_MISMATCH"]);
  assert.match(report.findings[0].fix, /domain: process\.env\.CONVEX_SITE_URL/);
});

test("a quoted private key on the deployment", { timeout: 60_000 }, async () => {
  const quoted = await deployment({ privateKey: `"${keys.privateKey}"`, jwks: keys.jwks });
  const { status, report, stdout } = doctor(appFor(quoted), ["--deployment-env", "-"], { stdin: quoted.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["JWT_PRIVATE_KEY_QUOTED"]);
  const secret = keys.privateKey.split(" ")[3];
  assert.ok(secret.length > 20 && !stdout.includes(secret), "the key is never printed back");
});

test("HTTP action routes: no preflight route, and an app origin the deployment does not allow", { timeout: 60_000 }, async () => {
  const dir = appFor(good);
  const missing = doctor(dir, ["--route", "/no-such-route", "--route", "/whoami"]);
  assert.deepEqual(codes(missing.report), ["ROUTE_NOT_FOUND"]);
  assert.match(missing.report.findings[0].fix, /method: "OPTIONS"/);
  const elsewhere = doctor(dir, ["--deployment-env", "-", "--origin", "http://localhost:4000", "--route", "/whoami"], {
    stdin: good.listing,
  });
  assert.deepEqual(codes(elsewhere.report), ["ROUTE_CORS_ORIGIN", "SITE_URL_ENV_MISMATCH"]);
  assert.match(elsewhere.report.findings.find((f) => f.code === "SITE_URL_ENV_MISMATCH").fix, /npx convex env set SITE_URL http:\/\/localhost:4000/);
  const onCloud = doctor(dir, ["--route", "https://happy-otter-123.convex.cloud/whoami"]);
  assert.ok(codes(onCloud.report).includes("ROUTE_ON_CLOUD_ORIGIN"), JSON.stringify(onCloud.report.findings));
});

test("the private key in .env.local instead of the deployment", { timeout: 60_000 }, async () => {
  const dir = appFor(good, `JWT_PRIVATE_KEY="${keys.privateKey}"\n`);
  const listing = good.listing.split("\n").filter((l) => !l.startsWith("JWT_PRIVATE_KEY=")).join("\n");
  const { status, report } = doctor(dir, ["--deployment-env", "-"], { stdin: listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["JWT_PRIVATE_KEY_MISSING", "SECRET_IN_APP_ENV"]);
  assert.match(report.findings.find((f) => f.code === "JWT_PRIVATE_KEY_MISSING").problem, /\.env\.local/);
});

test("URL mistakes in the app's env, and an unreachable deployment, are findings — not crashes", { timeout: 60_000 }, async () => {
  const swapped = mkdtempSync(join(tmpdir(), "doctor-app-"));
  writeFileSync(
    join(swapped, ".env.local"),
    "NEXT_PUBLIC_CONVEX_URL=https://happy-otter-123.convex.site\nNEXT_PUBLIC_CONVEX_SITE_URL=https://happy-otter-123.convex.cloud\n",
  );
  const s = doctor(swapped, []);
  assert.ok(codes(s.report).includes("URLS_SWAPPED"), JSON.stringify(s.report.findings));
  const [cloudPort, sitePort] = [await freePort(), await freePort()];
  const down = appFor({ cloudUrl: `http://127.0.0.1:${cloudPort}`, siteUrl: `http://127.0.0.1:${sitePort}` });
  const d = doctor(down, ["--route", "/whoami"]);
  assert.equal(d.status, 1, d.stderr);
  assert.deepEqual(codes(d.report), ["DEPLOYMENT_UNREACHABLE"]);
  assert.match(d.report.findings[0].problem, /ECONNREFUSED/);
  const usage = doctor(down, ["--no-such-flag"], { json: false });
  assert.equal(usage.status, 2, "a usage error");
});
