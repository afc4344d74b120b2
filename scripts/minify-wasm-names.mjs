// Shortens the names a wasm module imports and exports, and rewrites its wasm-bindgen glue to
// match: `node scripts/minify-wasm-names.mjs pkg/<entry> convex_auth_<entry>`.
//
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` in a module named after the glue
// file, and exports keep their Rust names: ~6 KB of mostly incompressible text per module, read
// by the JS glue only. binaryen's `--minify-imports-and-exports-and-modules` renames them ("a",
// "b", …) and prints the mapping; this script applies it to the glue (and its type declarations),
// and refuses to leave a module whose glue no longer matches it.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [dir, base] = process.argv.slice(2);
const wasmPath = join(dir, `${base}_bg.wasm`);
const gluePath = join(dir, `${base}.js`);
const typePaths = [join(dir, `${base}.d.ts`), join(dir, `${base}_bg.wasm.d.ts`)];

// The flags wasm-pack's own pass uses (Cargo.toml), then the renaming; a second -Oz also gains.
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const flags = JSON.parse(/^wasm-opt = (\[.*\])$/m.exec(cargo)[1]);
const mapping = JSON.parse(
  execFileSync("wasm-opt", [...flags, "--minify-imports-and-exports-and-modules", wasmPath, "-o", wasmPath], {
    encoding: "utf8",
  }),
);

const module = new WebAssembly.Module(readFileSync(wasmPath));
const importModules = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))];
if (importModules.length !== 1) throw new Error(`${base}: expected one import module, got ${importModules}`);

const escape = (name) => name.replace(/[$]/g, "\\$&");
let glue = readFileSync(gluePath, "utf8");
const replaceOnce = (pattern, replacement, what) => {
  const found = glue.match(new RegExp(pattern, "gm"))?.length ?? 0;
  if (found !== 1) throw new Error(`${base}: ${what} found ${found} times in the glue`);
  glue = glue.replace(new RegExp(pattern, "m"), replacement);
};
// The import object: its module key and each function's key.
const [[oldModule]] = mapping.imports;
replaceOnce(`^(\\s+)"${escape(oldModule)}":`, `$1"${importModules[0]}":`, `import module ${oldModule}`);
for (const [, oldName, newName] of mapping.imports) {
  replaceOnce(`^(\\s+)${escape(oldName)}:`, `$1${newName}:`, `import ${oldName}`);
}
// Every use of an export (the glue reaches them as `wasm.<name>` only; anything else would be
// missed, so it is refused).
if (/\bwasm\[/.test(glue)) throw new Error(`${base}: the glue indexes its exports; rename them by hand`);
for (const [oldName, newName] of mapping.exports) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(oldName)}\\b`, "g"), `wasm.${newName}`);
}
writeFileSync(gluePath, glue);
for (const path of typePaths) {
  let types = readFileSync(path, "utf8");
  for (const [oldName, newName] of mapping.exports) {
    types = types.replace(new RegExp(`\\breadonly ${escape(oldName)}:`, "g"), `readonly ${newName}:`);
    types = types.replace(new RegExp(`\\bexport const ${escape(oldName)}:`, "g"), `export const ${newName}:`);
  }
  writeFileSync(path, types);
}

// The glue must now provide exactly what the module imports, and use only what it exports.
const provided = new Set([...glue.matchAll(/^\s+([A-Za-z0-9_$]+): function/gm)].map((m) => m[1]));
const missing = WebAssembly.Module.imports(module).filter((i) => !provided.has(i.name));
const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
const unknown = [...new Set([...glue.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)].map((m) => m[1]))].filter(
  (name) => !exported.has(name),
);
if (missing.length || unknown.length) {
  throw new Error(`${base}: glue and module disagree: missing imports ${missing.map((i) => i.name)}, unknown exports ${unknown}`);
}
console.log(`${base}: ${mapping.imports.length} imports and ${mapping.exports.length} exports renamed`);
