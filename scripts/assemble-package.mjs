// Turns the two wasm-pack outputs in pkg/<entry>/ and the TypeScript layer (js/, compiled by tsc
// into pkg/) into one npm package with an entry point per runtime. `--report` only prints the
// package's files and the size of each .wasm.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync, copyFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
// esbuild is a dev dependency of the TypeScript layer (js/).
const { buildSync } = createRequire(join(root, "js", "package.json"))("esbuild");
const entries = ["client", "edge", "server", "doctor"];
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /^version = "(.*)"$/m.exec(cargo)[1];

if (process.argv.includes("--report")) report();
else assemble();

function assemble() {
  // The TypeScript layer: compiled next to the wasm glue it imports (tsconfig rootDirs).
  execFileSync(process.execPath, [join(root, "js", "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "js")], {
    stdio: "inherit",
  });
  for (const entry of entries) {
    const dir = join(pkg, entry);
    for (const junk of ["package.json", ".gitignore", "README.md"]) rmSync(join(dir, junk), { force: true });
    const base = `convex_auth_${entry}`;
    const wasm = readFileSync(join(dir, `${base}_bg.wasm`));
    const glue = `./${base}.js`;
    const write = (name, text) => writeFileSync(join(dir, name), text.trimStart());
    // The public API of the entry: the JS layer's index when there is one, else the glue.
    if (!existsSync(join(dir, "index.js"))) {
      write("index.js", `export * from "${glue}";\n`);
      write("index.d.ts", `export * from "${glue}";\n`);
    }
    // Browsers and bundlers for the browser: the bundler emits the .wasm as an asset. The client
    // module (under every page) loads without a top-level await, so it never holds up the page's
    // module graph: its session starts when the module arrives (js/client/module.ts).
    write("browser.js", entry === "client" ? `
import init from "${glue}";
import { moduleLoading } from "./module.js";
moduleLoading(init({ module_or_path: new URL("./${base}_bg.wasm", import.meta.url) }));
export * from "./index.js";
` : `
import init from "${glue}";
await init({ module_or_path: new URL("./${base}_bg.wasm", import.meta.url) });
export * from "./index.js";
`);
    // Edge runtimes (Next.js middleware and edge routes, workerd): the bundler compiles the
    // module outside the sandbox, which forbids compiling wasm from bytes. Async init only.
    write("edge-light.js", `
import init from "${glue}";
import wasmModule from "./${base}_bg.wasm?module";
await init({ module_or_path: wasmModule });
export * from "./index.js";
`);
    // Node and server bundles: the .wasm file next to this one when it is there (the package as
    // installed), else the inlined bytes (a bundle that did not copy the file), loaded only then.
    write("wasm-bytes.js", `export default ${JSON.stringify(wasm.toString("base64"))};\n`);
    write("node.js", `
import { initSync } from "${glue}";
const fromFile = () => {
  try {
    const fs = globalThis.process?.getBuiltinModule?.("fs");
    return fs?.readFileSync(new URL("./${base}_bg.wasm", import.meta.url));
  } catch {
    return undefined;
  }
};
const inlined = async () => {
  const { default: base64 } = await import("./wasm-bytes.js");
  return typeof Buffer === "function"
    ? Buffer.from(base64, "base64")
    : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
};
initSync({ module: fromFile() ?? (await inlined()) });
export * from "./index.js";
`);
    // Node resolves and links each ES module file on import: one file (the loader, the glue and
    // the entry's JS) imports ~1.5 ms faster than four. Every framework module reaches the wasm
    // through the package's entry points, so each runtime still has one glue instance.
    buildSync({
      entryPoints: [join(dir, "node.js")],
      outfile: join(dir, "node.js"),
      allowOverwrite: true,
      bundle: true,
      format: "esm",
      platform: "neutral",
      external: ["node:*", "./wasm-bytes.js"],
      logLevel: "warning",
    });
  }
  const conditions = (entry) => ({
    types: `./${entry}/index.d.ts`,
    "edge-light": `./${entry}/edge-light.js`,
    workerd: `./${entry}/edge-light.js`,
    browser: `./${entry}/browser.js`,
    node: `./${entry}/node.js`,
    default: `./${entry}/node.js`,
  });
  const manifest = {
    name: "convex-auth-wasm",
    version,
    description: "Convex Auth for Next.js in WebAssembly: a browser session manager and a local JWT verifier for proxy/middleware.",
    license: "MIT OR Apache-2.0",
    type: "module",
    exports: {
      "./client": conditions("client"),
      "./edge": conditions("edge"),
      // The framework layer is plain JS over the entries above (no wasm of its own).
      "./react": { types: "./react/index.d.ts", default: "./react/index.js" },
      // Convex Auth 2's browser AuthClient and its sign-in methods' hooks.
      "./browser": { types: "./browser/index.d.ts", default: "./browser/index.js" },
      "./methods/username-password/react": { types: "./methods/username-password/react.d.ts", default: "./methods/username-password/react.js" },
      "./methods/email-password/react": { types: "./methods/email-password/react.d.ts", default: "./methods/email-password/react.js" },
      "./methods/username-passkey/react": { types: "./methods/username-passkey/react.d.ts", default: "./methods/username-passkey/react.js" },
      "./methods/username-passkey/react-custom": { types: "./methods/username-passkey/react-custom.d.ts", default: "./methods/username-passkey/react-custom.js" },
      "./methods/oauth/react": { types: "./methods/oauth/react.d.ts", default: "./methods/oauth/react.js" },
      "./methods/github/react": { types: "./methods/github/react.d.ts", default: "./methods/github/react.js" },
      "./methods/google/react": { types: "./methods/google/react.d.ts", default: "./methods/google/react.js" },
      "./methods/apple/react": { types: "./methods/apple/react.d.ts", default: "./methods/apple/react.js" },
      "./nextjs": { types: "./nextjs/index.d.ts", default: "./nextjs/index.js" },
      "./nextjs/server": { types: "./nextjs/server/index.d.ts", default: "./nextjs/server/index.js" },
      // Convex Auth 2's server routes (WHATWG handlers), over the same wasm half.
      "./ssr": { types: "./ssr/index.d.ts", default: "./ssr/index.js" },
      "./ssr/nextjs": { types: "./ssr/nextjs/index.d.ts", default: "./ssr/nextjs/index.js" },
      // The browser half the v2 server provider renders ("use client").
      "./ssr/nextjs/client": { types: "./ssr/nextjs/client.d.ts", default: "./ssr/nextjs/client.js" },
      // The wasm half of ./nextjs/server (the verifier and the middleware's decisions).
      "./nextjs/wasm": conditions("server"),
      // The doctor runs in Node only (the CLI and `diagnose()`).
      "./doctor": { types: "./doctor/index.d.ts", default: "./doctor/node.js" },
      "./package.json": "./package.json",
    },
    bin: { "convex-auth-wasm": "./bin/convex-auth-wasm.js" },
    files: ["client", "edge", "server", "doctor", "react", "browser", "methods", "nextjs", "ssr", "wire", "bin", "README.md"],
    // createRouteMatcher reads patterns exactly as the official package does.
    dependencies: { "path-to-regexp": "^6.3.0" },
    peerDependencies: { convex: ">=1.17", next: ">=14", react: ">=18" },
    peerDependenciesMeta: { convex: { optional: true }, next: { optional: true }, react: { optional: true } },
    engines: { node: ">=18" },
  };
  writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  copyFileSync(join(root, "README.md"), join(pkg, "README.md"));
}

function report() {
  console.log(`convex-auth-wasm@${version} in pkg/:`);
  for (const entry of entries) {
    const names = readdirSync(join(pkg, entry), { recursive: true }).sort();
    for (const name of names.filter((n) => statSync(join(pkg, entry, n)).isFile())) {
      const path = join(pkg, entry, name);
      const bytes = readFileSync(path);
      const gz = gzipSync(bytes, { level: 9 }).length;
      const note = name.endsWith(".wasm") ? `   gzip ${kb(gz)}` : "";
      console.log(`  ${`${entry}/${name}`.padEnd(64)} ${kb(statSync(path).size).padStart(10)}${note}`);
    }
  }
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}
