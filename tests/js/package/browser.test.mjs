// The browser entry in real headless Chromium, bundled by esbuild with the `browser` condition,
// the .wasm fetched beside the bundle (as a bundler emits it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { copyFileSync, mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { installPackage, fakeToken } from "../support/package.mjs";
import { launchChromium, serveDirectory } from "../support/browser.mjs";

test("convex-auth-wasm/client loads in Chromium and reads real localStorage", async () => {
  const dir = installPackage();
  const www = join(dir, "www");
  mkdirSync(www, { recursive: true });
  const now = Math.floor(Date.now() / 1000);
  const token = fakeToken({ sub: "u1|s1", iat: now, exp: now + 3600, aud: "convex" });
  await build({
    stdin: {
      contents: `
        import { readStoredSession, resolveSiteRequest } from "convex-auth-wasm/client";
        localStorage.setItem("__convexAuthJWT_httpsa1convexcloud", ${JSON.stringify(token)});
        localStorage.setItem("__convexAuthRefreshToken_httpsa1convexcloud", "r1");
        let refused;
        try { resolveSiteRequest({ convexUrl: "https://a-1.convex.cloud" }, "https://evil.com"); }
        catch (e) { refused = e.code; }
        window.__result = { session: readStoredSession("https://a-1.convex.cloud"), refused };`,
      resolveDir: dir,
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(www, "bundle.js"),
  });
  const wasmDir = join(dir, "node_modules", "convex-auth-wasm", "client");
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
    const result = await page.waitForFunction(() => window.__result, null, { timeout: 10_000 });
    const { session, refused } = await result.jsonValue();
    assert.deepEqual(errors, []);
    assert.equal(session.userId, "u1");
    assert.equal(session.refreshToken, "r1");
    assert.equal(refused, "ERR_FOREIGN_ORIGIN");
  } finally {
    await browser.close();
    server.close();
  }
});
