// The packed package in workerd: bundled by wrangler's bundler (`wrangler deploy --dry-run
// --outdir`: esbuild with the workerd/worker/browser conditions, each `.wasm?module` import kept
// as a separate compiled-wasm module) and served by Miniflare, which runs the real workerd.
// Twice: a plain worker, and one with the nodejs_compat flag (then node:crypto exists).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { installPackage, runtimesDir, scratch } from "./support/package.mjs";
import { makeInputs } from "./support/tokens.mjs";
import { expectProbe } from "./support/expect.mjs";

// Once per pkg/ build (stamped by its .build-hash), outside the test's own time limit.
installPackage();

const COMPATIBILITY_DATE = "2026-04-26"; // the newest the pinned wrangler's workerd supports
const wrangler = join(runtimesDir, "node_modules", "wrangler", "bin", "wrangler.js");

function bundle(outdir, flags) {
  rmSync(join(scratch, outdir), { recursive: true, force: true });
  const args = ["deploy", "--dry-run", "--outdir", outdir, "--name", "runtime-probe", "--compatibility-date", COMPATIBILITY_DATE, "worker.mjs"];
  for (const flag of flags) args.push("--compatibility-flags", flag);
  execFileSync(process.execPath, [wrangler, ...args], {
    cwd: scratch,
    stdio: "pipe",
    timeout: 20_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: join(scratch, ".wrangler", "logs"), NO_COLOR: "1" },
  });
  const files = readdirSync(join(scratch, outdir));
  return { dir: join(scratch, outdir), files, code: readFileSync(join(scratch, outdir, "worker.js"), "utf8") };
}

test("workerd (wrangler bundle, Miniflare): both entries load; the verifier accepts a real token and refuses forged ones", { timeout: 30_000 }, async (t) => {
  const workerdVersion = JSON.parse(readFileSync(join(runtimesDir, "node_modules", "workerd", "package.json"), "utf8")).version;
  for (const { flags, crypto, hasNodeCrypto } of [
    { flags: [], crypto: "webcrypto", hasNodeCrypto: false },
    { flags: ["nodejs_compat"], crypto: "node", hasNodeCrypto: true },
  ]) {
    const label = flags.length ? flags.join(",") : "no compatibility flags";
    const out = bundle(`wrangler-out${flags.length ? `-${flags.join("-")}` : ""}`, flags);
    // The workerd condition picked the ?module loaders: both .wasm files are separate modules,
    // imported by the bundle, and neither Node loader (fs read, inlined base64) came along.
    const wasm = out.files.filter((f) => f.endsWith(".wasm")).sort();
    assert.equal(wasm.length, 2, `two wasm modules in ${out.files}`);
    assert.ok(wasm.some((f) => f.endsWith("convex_auth_edge_bg.wasm")) && wasm.some((f) => f.endsWith("convex_auth_client_bg.wasm")));
    for (const f of wasm) assert.ok(out.code.includes(`from "./${f}"`), `the bundle imports ${f}`);
    assert.ok(!out.code.includes("wasm-bytes") && !out.code.includes("AGFzbQ"), "no inlined wasm bytes in the bundle");

    const mf = new Miniflare({
      modules: true,
      scriptPath: join(out.dir, "worker.js"),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: flags,
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(await makeInputs()) });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      const result = JSON.parse(text);
      t.diagnostic(`workerd ${workerdVersion} (${label}): crypto ${result.crypto}; process ${result.hasProcess}, getBuiltinModule ${result.hasGetBuiltinModule}`);
      expectProbe(result, { crypto, hasNodeCrypto });
    } finally {
      await mf.dispose();
    }
  }
});
