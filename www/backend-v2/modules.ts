// The module maps convex-test takes (what `import.meta.glob` gives under Vite, which tsx lacks):
// every function file of a directory, by absolute path, to a lazy import. convex-test names
// modules relative to the directory that holds `_generated`.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export type Modules = Record<string, () => Promise<unknown>>;

const isModule = (name: string) => /\.(js|ts)$/.test(name) && !/\.d\.ts$/.test(name);

/** Every .js/.ts module under `dir` (declaration files and source maps left out). */
export function modulesIn(dir: string): Modules {
  const modules: Modules = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !isModule(entry.name)) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    modules[file] = () => import(pathToFileURL(file).href);
  }
  return modules;
}

const require = createRequire(import.meta.url);

/** A published component's directory: where its `convex.config.js` is, as the Convex CLI finds it. */
export function componentDir(configSpecifier: string): string {
  return dirname(require.resolve(configSpecifier));
}

/** An installed package's root directory. */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}
