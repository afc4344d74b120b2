// Convex Auth 2 tokens minted by the local v2 deployment (the real @convex-dev/auth 2.0.0),
// verified by convex-auth-wasm/edge in real headless Chromium: the `browser` entry bundled by
// esbuild, its .wasm fetched beside the bundle; WebCrypto for `verify`, the wasm `p256` path for
// `verifySync`; a tampered token and the all-zero signature refused on both.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installPackage } from "../support/package.mjs";
import { launchChromium, serveDirectory } from "../support/browser.mjs";
import { startBackendV2 } from "../support/backend-v2.mjs";

const backend = await startBackendV2();
after(() => backend.stop());

test("Chromium verifies the local v2 deployment's token with { convexUrl } (WebCrypto and wasm) and refuses forged ones", { timeout: 60_000 }, async () => {
  const res = await fetch(`${backend.cloudUrl}/api/mutation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "auth:signUpWithUsernamePassword", args: { username: "chromium", password: "correct horse battery" }, format: "json" }),
  });
  const token = (await res.json()).value.tokens.accessToken;
  const [h, p] = token.split(".");
  const psychic = `${h}.${p}.${Buffer.alloc(64).toString("base64url")}`;
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), sub: "x" })).toString("base64url")}.${token.split(".")[2]}`;
  const dir = installPackage();
  const www = join(dir, "www-edge-v2");
  mkdirSync(www, { recursive: true });
  await build({
    stdin: {
      contents: `
        import { createVerifier } from "convex-auth-wasm/edge";
        const config = { convexUrl: ${JSON.stringify(backend.cloudUrl)}, jwks: ${JSON.stringify(backend.jwks)}, cacheSize: 0 };
        const verifier = createVerifier(config);
        const outcome = async (run) => { try { const id = await run(); return [id.userId, id.sessionId]; } catch (e) { return e.code; } };
        const all = {};
        for (const [name, t] of Object.entries(${JSON.stringify({ token, psychic, tampered })})) {
          all[name] = [await outcome(() => verifier.verify(t)), await outcome(async () => verifier.verifySync(t))];
        }
        window.__result = { crypto: verifier.crypto, all };`,
      resolveDir: dir,
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(www, "bundle.js"),
  });
  const wasmDir = join(dir, "node_modules", "convex-auth-wasm", "edge");
  const wasm = readdirSync(wasmDir).find((f) => f.endsWith(".wasm"));
  copyFileSync(join(wasmDir, wasm), join(www, wasm));
  writeFileSync(join(www, "index.html"), `<script type="module" src="/bundle.js"></script>`);
  const server = await serveDirectory(www);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    await page.goto(server.url + "/");
    const { crypto, all } = await (await page.waitForFunction(() => window.__result, null, { timeout: 15_000 })).jsonValue();
    assert.deepEqual(errors, []);
    assert.equal(crypto, "webcrypto");
    const sub = JSON.parse(Buffer.from(p, "base64url")).sub;
    assert.deepEqual(all.token, [[null, sub], [null, sub]], "verify (WebCrypto) and verifySync (wasm)");
    assert.deepEqual(all.psychic, ["ERR_JWT_SIGNATURE_INVALID", "ERR_JWT_SIGNATURE_INVALID"]);
    assert.deepEqual(all.tampered, ["ERR_JWT_SIGNATURE_INVALID", "ERR_JWT_SIGNATURE_INVALID"]);
  } finally {
    await browser.close();
    server.close();
  }
});
