// The packed package in Node (the `node` condition), spawned on support/cli.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installPackage, runJson } from "./support/package.mjs";
import { makeInputs } from "./support/tokens.mjs";
import { expectProbe } from "./support/expect.mjs";

// Once per pkg/ build (stamped by its .build-hash), outside the test's own time limit.
installPackage();

test("node: both entries load; the verifier accepts a real token and refuses forged ones", { timeout: 30_000 }, async (t) => {
  const { result } = await runJson(process.execPath, ["cli.mjs", JSON.stringify(await makeInputs())]);
  t.diagnostic(`${result.runtime}: crypto ${result.crypto}; entries ${result.resolved.edge}, ${result.resolved.client}`);
  assert.deepEqual(result.resolved, { edge: "convex-auth-wasm/edge/node.js", client: "convex-auth-wasm/client/node.js" });
  expectProbe(result, { crypto: "node", hasNodeCrypto: true });
});
