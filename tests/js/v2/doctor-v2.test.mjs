// `npx convex-auth-wasm doctor` on Convex Auth 2 apps, against the local v2 deployment (the real
// @convex-dev/auth 2.0.0 server code): the generation read from the app's package.json and
// convex/auth.config.ts, a correct setup with no findings (a real token it signed included), each
// v2 misconfiguration named with its code and fix, and `--migrate` on the 0.x demo app.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliRun } from "../support/doctor-cli.mjs";
import { signUpV2, startBackendV2 } from "../support/backend-v2.mjs";
import { www } from "../support/backend.mjs";
import { localhostCertificate, startSsrApp } from "../support/ssr-app.mjs";

const backend = await startBackendV2();
after(() => backend.stop());

const V2_CONFIG = 'import { convexAuthProvider } from "@convex-dev/auth/server";\nexport default { providers: [convexAuthProvider()] };\n';

/** A Next.js app on Convex Auth 2 pointed at `convexUrl`; `changes` replace its files' texts. */
function v2App({ convexUrl = backend.cloudUrl, convex = "^1.48.0", authConfig = V2_CONFIG } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "doctor-v2-app-"));
  writeFileSync(join(dir, ".env.local"), `NEXT_PUBLIC_CONVEX_URL=${convexUrl}\n`);
  const dependencies = { "@convex-dev/auth": "^2.0.0", convex, next: "^16.0.0" };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies }));
  mkdirSync(join(dir, "convex"));
  writeFileSync(join(dir, "convex", "auth.config.ts"), authConfig);
  return dir;
}


async function doctor(dir, args = [], stdin, nodeArgs, env) {
  const run = await cliRun(dir, ["doctor", "--json", ...args], { stdin, nodeArgs, env });
  assert.ok(run.stdout, run.stderr);
  return { ...run, report: JSON.parse(run.stdout) };
}
const codes = (report) => report.findings.map((f) => f.code);

const signedInToken = async () => (await signUpV2(backend.cloudUrl, `doctor${Math.random().toString(36).slice(2)}`)).token;

test("a correct Convex Auth 2 setup has no findings: the cloud JWKS, a real token, no 0.x variables asked for", { timeout: 60_000 }, async () => {
  const dir = v2App();
  const { status, report } = await doctor(dir, ["--token", "-"], await signedInToken());
  assert.deepEqual(report.findings, []);
  assert.equal(status, 0);
  assert.equal(report.summary.generation, "2");
  const text = await cliRun(dir, ["doctor"]);
  assert.match(text.stdout, /^convex-auth-wasm doctor \(Convex Auth 2\)/);
  assert.match(text.stderr, new RegExp(`checking GET ${backend.cloudUrl}/.well-known/jwks.json`));
});

test("v2 misconfigurations, each against the live deployment, named with the fix", { timeout: 60_000 }, async () => {
  const cases = [
    ["convex too old for ctx.auth.signJwt", v2App({ convex: "^1.17.0" }), [], "V2_CONVEX_TOO_OLD", /npm install convex@\^1\.48/],
    ["auth.config.ts without convexAuthProvider()", v2App({ authConfig: "export default { providers: [] };\n" }), [], "V2_PROVIDER_MISSING", /convexAuthProvider\(\)/],
    [
      "0.x variables left on the deployment",
      v2App(),
      ["--deployment-env", "-"],
      "V2_UNUSED_ENV",
      /npx convex env remove JWT_PRIVATE_KEY/,
      'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY----- secret"\n',
    ],
    // Nothing answers there: no key can be fetched.
    ["a cloud URL where nothing answers", v2App({ convexUrl: "http://127.0.0.1:9" }), [], "V2_JWKS_UNUSABLE", /convex\.cloud URL/],
  ];
  for (const [what, dir, args, code, fix, stdin] of cases) {
    const { status, report, stdout } = await doctor(dir, args, stdin);
    assert.deepEqual(codes(report), [code], what);
    assert.match(report.findings[0].fix, fix, what);
    assert.equal(status, report.errors > 0 ? 1 : 0, what);
    assert.ok(!stdout.includes("secret"), `${what}: no secret echoed`);
  }
});

test("sample tokens the verifier refuses are named with its codes: expired, tampered, and a 0.x token", { timeout: 60_000 }, async () => {
  const dir = v2App();
  const fresh = await signedInToken();
  const [h, p, sig] = fresh.split(".");
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), sub: "x" })).toString("base64url")}.${sig}`;
  const v0Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1fHMiLCJpc3MiOiJodHRwczovL2EuY29udmV4LnNpdGUiLCJhdWQiOiJjb252ZXgiLCJleHAiOjR9.c2ln";
  // A fake clock, test-only: the doctor's process runs two minutes ahead, so the deployment's
  // 60 s token has expired when the doctor judges it (the deployment's own clock never runs
  // backwards once it has committed, so the token cannot be made in the past instead).
  const later = ["--import", "data:text/javascript,const real=Date.now;Date.now=()=>real()+120000;"];
  for (const [token, cause, nodeArgs] of [
    [fresh, "ERR_JWT_EXPIRED", later],
    [tampered, "ERR_JWT_SIGNATURE_INVALID"],
    [v0Token, "ERR_JWT_GENERATION_MISMATCH"],
  ]) {
    const { status, report } = await doctor(dir, ["--token", "-"], token, nodeArgs);
    assert.deepEqual(codes(report), ["SAMPLE_TOKEN_INVALID"], cause);
    assert.equal(report.findings[0].cause, cause);
    assert.equal(status, 1);
  }
});

test("the SSR routes of an app on the official 2.0.0 handlers: mounted, its own origin accepted, https reached", { timeout: 90_000 }, async () => {
  const dir = v2App();
  const tls = localhostCertificate();
  const cases = [
    ["every route mounted, plain cookies on loopback http", {}, []],
    ["no SSR routes (a spa-mode app)", { routes: [] }, ["V2_SSR_ROUTES_MISSING"]],
    ["sign-out and sign-in not mounted", { routes: ["/auth/refresh"] }, ["V2_SSR_ROUTE_MISSING", "V2_SSR_ROUTE_MISSING"]],
    ["behind a proxy that rewrites Host", { hostSeen: "internal:3000" }, ["V2_SSR_ORIGIN_REFUSED"]],
    ["the same proxy, with allowedOrigins", { hostSeen: "internal:3000", allowOwnOrigin: true }, []],
    // With no session, the official routes only clear cookies, with no attributes: what `secure`
    // the app sets cannot be seen, and a deletion is not mistaken for a cookie without Secure.
    ["https, cookies cleared without attributes", { tls }, []],
    // Ours clears them with their attributes: what the app sets is seen with no session.
    ["ours, https, cookies without Secure", { tls, implementation: "ours" }, ["V2_COOKIE_SECURE_MISMATCH"]],
    ["ours, https, Secure cookies", { tls, implementation: "ours", cookieOptions: { secure: true } }, []],
  ];
  const refreshes = async () => (await backend.controls()).functionCalls["auth:refreshSession"] ?? 0;
  for (const [what, options, expected] of cases) {
    const app = await startSsrApp(backend.cloudUrl, options);
    try {
      const before = await refreshes();
      const env = options.tls ? { NODE_EXTRA_CA_CERTS: tls.certFile } : {};
      const { report } = await doctor(dir, ["--origin", app.origin], undefined, undefined, env);
      const ssr = report.findings.filter((f) => f.group === "ssr");
      assert.deepEqual(ssr.map((f) => f.code), expected, `${what}: ${JSON.stringify(ssr, null, 1)}`);
      if (expected[0] === "V2_SSR_ORIGIN_REFUSED") assert.match(ssr[0].fix, /allowedOrigins/);
      // No session exists in these requests: the deployment is never asked to refresh one.
      assert.equal(await refreshes(), before, what);
    } finally {
      await app.stop();
    }
  }
});

test("--migrate on the 0.x demo app prints its steps to Convex Auth 2", { timeout: 60_000 }, async () => {
  const { status, stdout } = await cliRun(www, ["doctor", "--migrate", "--deployment-env", "-"], {
    stdin: "JWT_PRIVATE_KEY=k\nJWKS={}\nSITE_URL=http://localhost:3000\n",
  });
  assert.equal(status, 0);
  for (const says of ["@convex-dev/auth 0.0.95 → ^2.0.0", "convex 1.49.0 (already ≥ 1.48)", "convexAuthProvider()", "setupConvexAuth", "remove JWT_PRIVATE_KEY, JWKS, SITE_URL", "Every user signs in again"]) {
    assert.ok(stdout.includes(says), `${says}:\n${stdout}`);
  }
});
