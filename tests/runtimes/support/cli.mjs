// Entry for Node, Bun and Deno: run from the scratch project (so the bare specifiers resolve to
// the installed tarball); the inputs arrive as JSON in the first argument; prints one JSON line.
import * as edge from "convex-auth-wasm/edge";
import * as client from "convex-auth-wasm/client";
import { probe } from "./probe.mjs";

const input = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : globalThis.process.argv[2]);
const result = await probe(edge, client, input);
result.runtime = globalThis.Bun ? `bun ${globalThis.Bun.version}` : globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : `node ${globalThis.process.version}`;
const resolve = (specifier) => {
  try {
    return import.meta.resolve(specifier).replace(/^.*\/node_modules\//, "");
  } catch (error) {
    return `unresolved: ${error.message}`;
  }
};
result.resolved = { edge: resolve("convex-auth-wasm/edge"), client: resolve("convex-auth-wasm/client") };
console.log(JSON.stringify(result));
