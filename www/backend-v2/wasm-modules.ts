// Workaround: the password component hashes with `password-hash-wasm`, which imports its
// `.wasm` file as a default export. Convex's bundler turns such an import into a compiled
// `WebAssembly.Module`; Node 20 cannot import `.wasm` at all (and with
// --experimental-wasm-modules it would give the instance's exports instead). This hook makes
// `import m from "x.wasm"` give `new WebAssembly.Module(bytes)`, as on a deployment.
// Import it before anything loads the components.
import { register } from "node:module";

const hooks = `
export async function load(url, context, next) {
  if (!url.endsWith(".wasm")) return next(url, context);
  const source = "import { readFileSync } from 'node:fs';\\n" +
    "export default new WebAssembly.Module(readFileSync(new URL(" + JSON.stringify(url) + ")));";
  return { format: "module", source, shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
