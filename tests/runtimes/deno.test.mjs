// The packed package in Deno (npm package `deno`), spawned on support/cli.mjs with no permission
// flags: the scratch project's package.json makes Deno use its node_modules as they are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { bin, installPackage, runJson, scratch } from "./support/package.mjs";
import { makeInputs } from "./support/tokens.mjs";
import { expectProbe } from "./support/expect.mjs";

test("deno: both entries load; the verifier accepts a real token and refuses forged ones", { timeout: 30_000 }, async (t) => {
  installPackage();
  const { result } = await runJson(bin("deno"), ["run", "--no-prompt", "--cached-only", "cli.mjs", JSON.stringify(await makeInputs())], {
    env: { DENO_DIR: join(scratch, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  t.diagnostic(`${result.runtime}: crypto ${result.crypto}; entries ${result.resolved.edge}, ${result.resolved.client}`);
  assert.match(result.runtime, /^deno /);
  assert.deepEqual(result.resolved, { edge: "convex-auth-wasm/edge/node.js", client: "convex-auth-wasm/client/node.js" });
  // Deno 2 has process.getBuiltinModule("node:crypto"), so "auto" picks node:crypto there.
  expectProbe(result, { crypto: "node", hasNodeCrypto: true });
});
