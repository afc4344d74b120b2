// The packed package in Deno (npm package `deno`), spawned on support/cli.mjs: the scratch
// project's package.json makes Deno use its node_modules as they are. Twice: with no permission
// flags (the package's fs read of its .wasm is denied, so it falls back to its inlined bytes) and
// with --allow-read (it reads the .wasm file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { bin, installPackage, runJson, scratch } from "./support/package.mjs";
import { makeInputs } from "./support/tokens.mjs";
import { expectProbe } from "./support/expect.mjs";

// Once per pkg/ build (stamped by its .build-hash), outside the test's own time limit.
installPackage();

test("deno: both entries load; the verifier accepts a real token and refuses forged ones", { timeout: 30_000 }, async (t) => {
  for (const permissions of [[], ["--allow-read"]]) {
    const args = ["run", "--no-prompt", "--cached-only", ...permissions, "cli.mjs", JSON.stringify(await makeInputs())];
    const { result } = await runJson(bin("deno"), args, {
      env: { DENO_DIR: join(scratch, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    const label = permissions.join(" ") || "no permission flags";
    t.diagnostic(`${result.runtime} (${label}): crypto ${result.crypto}; entries ${result.resolved.edge}, ${result.resolved.client}`);
    assert.match(result.runtime, /^deno /);
    assert.deepEqual(result.resolved, { edge: "convex-auth-wasm/edge/node.js", client: "convex-auth-wasm/client/node.js" });
    // Deno 2 has process.getBuiltinModule("node:crypto"), so "auto" picks node:crypto there.
    expectProbe(result, { crypto: "node", hasNodeCrypto: true });
  }
});
