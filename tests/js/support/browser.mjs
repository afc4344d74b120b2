// Real headless Chromium (Debian's) driven by playwright-core, serving files from a directory.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, extname } from "node:path";
import { chromium } from "playwright-core";
import { installPackage } from "./package.mjs";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Serves `dir` on a free loopback port; resolves with `{ url, close }`. */
export async function serveDirectory(dir) {
  const server = createServer(async (req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
    try {
      const body = await readFile(path.endsWith("/") ? join(path, "index.html") : path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] || "text/html" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/**
 * Runs `contents` (a module importing from the packed package) in real Chromium: bundled by
 * esbuild with the `browser` condition into `<scratch>/<name>/`, the `entry`'s .wasm copied beside
 * the bundle (as a bundler emits it), served on loopback. Resolves with what the page stored in
 * `window.__result` and the page errors seen. `beforeLoad(page)` may set up routes first.
 */
/** Bundles `contents` (bare imports resolved in the packed package's scratch project) into a page
 *  directory of its own, with `entry`'s .wasm beside it. */
export async function bundlePage(name, entry, contents) {
  const { build } = await import("esbuild");
  const dir = installPackage();
  const www = join(dir, name);
  mkdirSync(www, { recursive: true });
  await build({ stdin: { contents, resolveDir: dir }, bundle: true, format: "esm", platform: "browser", outfile: join(www, "bundle.js") });
  const wasmDir = join(dir, "node_modules", "convex-auth-wasm", entry);
  const wasm = readdirSync(wasmDir).find((f) => f.endsWith(".wasm"));
  copyFileSync(join(wasmDir, wasm), join(www, wasm));
  writeFileSync(join(www, "index.html"), `<script type="module" src="/bundle.js"></script>`);
  return www;
}

export async function runBundleInChromium(name, entry, contents, { beforeLoad } = {}) {
  const server = await serveDirectory(await bundlePage(name, entry, contents));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    await beforeLoad?.(page);
    await page.goto(server.url + "/");
    const result = await (await page.waitForFunction(() => window.__result, null, { timeout: 15_000 })).jsonValue();
    return { result, errors };
  } finally {
    await browser.close();
    server.close();
  }
}
