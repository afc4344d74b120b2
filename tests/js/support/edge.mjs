// Runs code the way Next.js runs middleware and edge routes: bundled with the `edge-light`
// condition, the .wasm compiled OUTSIDE the sandbox and handed in (what `?module` imports become),
// and evaluated in `edge-runtime` with wasm code generation disabled, as the real edge rule is.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeRuntime } from "edge-runtime";
import { installPackage } from "./package.mjs";

/** Bundles `source` (an ES module that may `import … from "convex-auth-wasm/…"`) for the edge. */
export async function bundleForEdge(source) {
  const modules = new Map();
  const result = await build({
    stdin: { contents: source, resolveDir: installPackage(), loader: "js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["edge-light"],
    mainFields: ["module", "main"],
    plugins: [
      {
        name: "wasm-module",
        setup(b) {
          // Stand-in for the bundler's `?module` handling: the module arrives as a global.
          b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({
            path: join(args.resolveDir, args.path.replace(/\?module$/, "")),
            namespace: "wasm-module",
          }));
          b.onLoad({ filter: /.*/, namespace: "wasm-module" }, (args) => {
            const name = `__wasm_${modules.size}`;
            modules.set(name, args.path);
            return { contents: `export default globalThis[${JSON.stringify(name)}];`, loader: "js" };
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0].text, modules };
}

/** Evaluates a bundle in a fresh edge runtime; resolves with what the bundle assigns to `result`. */
export async function runOnEdge(source) {
  const { code, modules } = await bundleForEdge(source);
  const extend = (context) => {
    for (const [name, path] of modules) context[name] = new WebAssembly.Module(readFileSync(path));
    return context;
  };
  const runtime = new EdgeRuntime({ codeGeneration: { strings: false, wasm: false }, extend });
  // The bundle has no imports or exports left, so an async function body runs it as a module would.
  runtime.evaluate(`globalThis.__done = (async () => { let result;\n${code}\n; return result; })();`);
  return { runtime, result: await runtime.evaluate("globalThis.__done") };
}
