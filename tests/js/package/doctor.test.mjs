// `npx convex-auth-wasm doctor` from the packed package, against the local backend (the real
// Convex Auth server code) started with one misconfiguration at a time: each is named with its
// code and fix; a correct setup has no findings; an unreachable deployment is a finding, not a crash.
// Also: the token's sources, the exit statuses, and the cap on what a probe reads.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import { cliRun } from "../support/doctor-cli.mjs";
import { startBackend } from "../support/backend.mjs";
import { freePort } from "../support/ports.mjs";

const APP = "http://localhost:3000";
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


async function doctor(dir, args, { stdin, json = true, nodeArgs } = {}) {
  const run = await cliRun(dir, ["doctor", ...(json ? ["--json"] : []), ...args], { stdin, nodeArgs });
  return { ...run, report: json && run.stdout ? JSON.parse(run.stdout) : null };
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
  const { status, report } = await doctor(dir, ["--deployment-env", listing, "--origin", APP, "--route", "/whoami", "--token", token]);
  assert.deepEqual(report.findings, [], JSON.stringify(report.findings, null, 2));
  assert.equal(status, 0);
  assert.equal(report.summary.siteUrl, good.siteUrl);
  // The readable report, with progress on stderr while the checks run.
  const text = await doctor(dir, ["--deployment-env", listing, "--route", "/whoami"], { json: false });
  assert.match(text.stdout, /No problems found\./);
  assert.match(text.stderr, /checking GET .*\/\.well-known\/openid-configuration/);
});

test("a JWKS that does not match the private key (and a token the deployment signed with it)", { timeout: 60_000 }, async () => {
  const other = await keyPair();
  const mismatched = await deployment({ privateKey: keys.privateKey, jwks: other.jwks });
  const token = await signUp(mismatched);
  const { status, report } = await doctor(appFor(mismatched), ["--deployment-env", "-", "--token", token], { stdin: mismatched.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["JWKS_KEY_MISMATCH", "SAMPLE_TOKEN_INVALID"]);
  const sample = report.findings.find((f) => f.code === "SAMPLE_TOKEN_INVALID");
  assert.equal(sample.cause, "ERR_JWT_SIGNATURE_INVALID");
  assert.match(report.findings.find((f) => f.code === "JWKS_KEY_MISMATCH").fix, /npx @convex-dev\/auth/);
});

test("a deployment whose issuer is its .convex.cloud URL", { timeout: 60_000 }, async () => {
  const cloudIssuer = await deployment({ ...keys, env: { TEST_ISSUER_OVERRIDE: "https://happy-otter-123.convex.cloud" } });
  const { status, report } = await doctor(appFor(cloudIssuer), ["--deployment-env", "-"], { stdin: cloudIssuer.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["ISSUER_MISMATCH"]);
  assert.match(report.findings[0].fix, /domain: process\.env\.CONVEX_SITE_URL/);
});

test("a quoted private key on the deployment", { timeout: 60_000 }, async () => {
  const quoted = await deployment({ privateKey: `"${keys.privateKey}"`, jwks: keys.jwks });
  const { status, report, stdout } = await doctor(appFor(quoted), ["--deployment-env", "-"], { stdin: quoted.listing });
  assert.equal(status, 1);
  assert.deepEqual(codes(report), ["JWT_PRIVATE_KEY_QUOTED"]);
  const secret = keys.privateKey.split(" ")[3];
  assert.ok(secret.length > 20 && !stdout.includes(secret), "the key is never printed back");
});

test("HTTP action routes: no preflight route, and an app origin the deployment does not allow", { timeout: 60_000 }, async () => {
  const dir = appFor(good);
  const missing = await doctor(dir, ["--route", "/no-such-route", "--route", "/whoami"]);
  assert.deepEqual(codes(missing.report), ["ROUTE_NOT_FOUND"]);
  assert.match(missing.report.findings[0].fix, /method: "OPTIONS"/);
  const elsewhere = await doctor(dir, ["--deployment-env", "-", "--origin", "http://localhost:4000", "--route", "/whoami"], {
    stdin: good.listing,
  });
  assert.deepEqual(codes(elsewhere.report), ["ROUTE_CORS_ORIGIN", "SITE_URL_ENV_MISMATCH"]);
  assert.match(elsewhere.report.findings.find((f) => f.code === "SITE_URL_ENV_MISMATCH").fix, /npx convex env set SITE_URL http:\/\/localhost:4000/);
  const onCloud = await doctor(dir, ["--route", "https://happy-otter-123.convex.cloud/whoami"]);
  assert.ok(codes(onCloud.report).includes("ROUTE_ON_CLOUD_ORIGIN"), JSON.stringify(onCloud.report.findings));
});

test("the private key in .env.local instead of the deployment", { timeout: 60_000 }, async () => {
  const dir = appFor(good, `JWT_PRIVATE_KEY="${keys.privateKey}"\n`);
  const listing = good.listing.split("\n").filter((l) => !l.startsWith("JWT_PRIVATE_KEY=")).join("\n");
  const { status, report } = await doctor(dir, ["--deployment-env", "-"], { stdin: listing });
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
  const s = await doctor(swapped, []);
  assert.ok(codes(s.report).includes("URLS_SWAPPED"), JSON.stringify(s.report.findings));
  const [cloudPort, sitePort] = [await freePort(), await freePort()];
  const down = appFor({ cloudUrl: `http://127.0.0.1:${cloudPort}`, siteUrl: `http://127.0.0.1:${sitePort}` });
  const d = await doctor(down, ["--route", "/whoami"]);
  assert.equal(d.status, 1, d.stderr);
  assert.deepEqual(codes(d.report), ["DEPLOYMENT_UNREACHABLE"]);
  assert.match(d.report.findings[0].problem, /ECONNREFUSED/);
  const usage = await doctor(down, ["--no-such-flag"], { json: false });
  assert.equal(usage.status, 2, "a usage error");
});

test("the token from stdin (--token -) or a file (--token-file), out of the shell history", { timeout: 60_000 }, async () => {
  const dir = appFor(good);
  const listing = join(dir, "env.txt");
  writeFileSync(listing, good.listing);
  const token = await signUp(good);
  const piped = await doctor(dir, ["--deployment-env", listing, "--token", "-"], { stdin: `${token}\n` });
  assert.equal(piped.status, 0, piped.stderr);
  assert.deepEqual(piped.report.findings, []);
  // The file's token is the one verified: a broken signature is named.
  const [header, payload, signature] = token.split(".");
  const forged = `${header}.${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
  const file = join(dir, "token.txt");
  writeFileSync(file, `${forged}\n`);
  const fromFile = await doctor(dir, ["--token-file", file]);
  assert.equal(fromFile.status, 1, fromFile.stderr);
  assert.deepEqual(codes(fromFile.report), ["SAMPLE_TOKEN_INVALID"]);
  assert.equal(fromFile.report.findings[0].cause, "ERR_JWT_SIGNATURE_INVALID");
});

test("exit status 2 for a usage error, with what is wrong on stderr; 0 for --help", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "doctor-app-"));
  const empty = join(dir, "empty.txt");
  writeFileSync(empty, "\n");
  const cases = [
    [["--token-file", join(dir, "absent.txt")], undefined, /cannot read the token from .*absent\.txt: ENOENT/],
    [["--token-file", empty], undefined, /no token in .*empty\.txt/],
    [["--token", "-"], "", /no token in stdin/],
    [["--token", "a.b.c", "--token-file", empty], undefined, /--token or --token-file, not both/],
    [["--deployment-env", "-", "--token", "-"], "x", /cannot both be read from stdin/],
    [["--deployment-env", join(dir, "absent.env")], undefined, /cannot read the deployment's environment from .*absent\.env/],
    [["--no-such-flag"], undefined, /no-such-flag/],
  ];
  for (const [args, stdin, message] of cases) {
    const run = await doctor(dir, args, { stdin, json: false });
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, "", "no report");
  }
  const noCommand = await cliRun(dir, []);
  assert.equal(noCommand.status, 2);
  assert.match(noCommand.stderr, /no command given/);
  const help = await cliRun(dir, ["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--token-file <file>/);
  assert.match(help.stdout, /Exit status: 0 no errors found.*1 errors found, 2 a usage error,\s+3 the doctor itself failed/s);
});

test("exit status 3 when the doctor itself fails", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "doctor-app-"));
  // A failure no input can cause: writing the report throws.
  const breakStdout = "data:text/javascript,process.stdout.write = () => { throw new Error('simulated failure') }";
  const run = await doctor(dir, [], { nodeArgs: ["--import", breakStdout] });
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stderr, /doctor failed.*\n.*simulated failure/);
});

test("a probe reads at most 256 KiB of an answer, then hangs up", { timeout: 60_000 }, async () => {
  const cap = 256 * 1024; // MAX_PROBE_BODY_BYTES (src/core/doctor/probes.rs)
  let discovery = "";
  let sent = 0;
  // The discovery document as set; an endless key set, written as fast as it is read.
  const site = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url === "/.well-known/openid-configuration") return res.end(discovery);
    const chunk = Buffer.alloc(64 * 1024, " ");
    let open = true;
    res.on("close", () => (open = false));
    const pump = () => {
      while (open) {
        sent += chunk.length;
        if (!res.write(chunk)) return;
      }
    };
    res.on("drain", pump);
    pump();
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  try {
    const siteUrl = `http://127.0.0.1:${site.address().port}`;
    const dir = appFor({ cloudUrl: `http://127.0.0.1:${await freePort()}`, siteUrl });
    const issuer = JSON.stringify({ issuer: siteUrl });
    // A document of exactly the cap is read whole; the endless one is cut, not waited on to the timeout.
    discovery = issuer.padEnd(cap, " ");
    const atCap = await doctor(dir, []);
    assert.deepEqual(codes(atCap.report), ["JWKS_MALFORMED"], atCap.stdout);
    assert.match(atCap.report.findings[0].problem, /jwks\.json is not a usable key set: its body is over the 256 KiB limit/);
    assert.equal(atCap.status, 1);
    assert.ok(sent < 64 * 1024 * 1024, `the server wrote ${sent} bytes before the doctor hung up`);
    // One byte more is not read as a document.
    discovery = issuer.padEnd(cap + 1, " ");
    const overCap = await doctor(dir, []);
    assert.deepEqual(codes(overCap.report), ["JWKS_MALFORMED", "OPENID_CONFIG_INVALID"]);
  } finally {
    site.closeAllConnections();
    site.close();
  }
});
