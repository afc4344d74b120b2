// Edge verifier benchmark: our package (from pkg/, the Node entry) against jose `jwtVerify` and
// node:crypto, measured in this same process. Medians of several rounds; prints a Markdown table.
// Run: make bench
import { createVerify, createPublicKey } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SignJWT, generateKeyPair, exportJWK, jwtVerify } from "jose";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = pathToFileURL(join(root, "pkg", "edge", "node.js")).href;
const SITE = "https://happy-otter-123.convex.site";
const ROUNDS = 7;

const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
const jwks = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(publicKey)) }] });
const now = Math.floor(Date.now() / 1000);
const sign = (n) =>
  new SignJWT({ sub: `user${n}|session${n}`, iat: now, iss: SITE, aud: "convex", exp: now + 3600 })
    .setProtectedHeader({ alg: "RS256" })
    .sign(privateKey);
const tokens = await Promise.all(Array.from({ length: 400 }, (_, i) => sign(i)));

const { createVerifier } = await import(entry);
const warm = createVerifier({ siteUrl: SITE, jwks });
const coldVerifier = (crypto) => createVerifier({ siteUrl: SITE, jwks, cacheSize: 0, crypto });
const [coldNode, coldWeb, coldWasm] = ["node", "webcrypto", "wasm"].map(coldVerifier);
const nodeKey = createPublicKey({ key: JSON.parse(jwks).keys[0], format: "jwk" });

function nodeVerify(token) {
  const [h, p, s] = token.split(".");
  if (!createVerify("RSA-SHA256").update(`${h}.${p}`).verify(nodeKey, Buffer.from(s, "base64url"))) throw new Error("bad");
  const claims = JSON.parse(Buffer.from(p, "base64url").toString());
  if (claims.iss !== SITE || claims.aud !== "convex" || claims.exp <= Date.now() / 1000) throw new Error("claims");
  return claims;
}

/** Median µs per call of `fn` over `tokens`, after a warm-up. */
async function measure(fn, list = tokens, repeat = 1) {
  for (const t of list.slice(0, 50)) await fn(t);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < repeat; i++) for (const t of list) await fn(t);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / (list.length * repeat));
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const jose = await measure((t) => jwtVerify(t, publicKey, { issuer: SITE, audience: "convex" }));
const node = await measure(nodeVerify);
const coldNodeAsync = await measure((t) => coldNode.verify(t));
const coldNodeSync = await measure((t) => coldNode.verifySync(t));
const coldWebAsync = await measure((t) => coldWeb.verify(t));
const coldWasmSync = await measure((t) => coldWasm.verifySync(t));
// A forged token (bad signature) whose payload names 500 claims, just under the 8 KB limit: what
// an attacker can make each rejection cost (the payload is read before the signature is checked).
const manyClaims = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 0]));
const forged = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
  const [h, p] = (await new SignJWT({ sub: `user${i}|s`, iss: SITE, aud: "convex", exp: now + 3600, ...manyClaims })
    .setProtectedHeader({ alg: "RS256" }).sign(privateKey)).split(".");
  return `${h}.${p}.${tokens[0].split(".")[2]}`;
}));
const rejectForged = await measure((t) => {
  try { coldNode.verifySync(t); } catch (e) { if (e.code !== "ERR_JWT_SIGNATURE_INVALID") throw e; }
}, forged);
// The default configuration (a 1000-entry cache): each round a new verifier, so every token is
// a miss that is then cached — what the first request with a new token costs.
const coldDefault = [];
for (let r = 0; r < ROUNDS; r++) {
  const fresh = createVerifier({ siteUrl: SITE, jwks, crypto: "node" });
  const start = process.hrtime.bigint();
  for (const t of tokens) fresh.verifySync(t);
  coldDefault.push(Number(process.hrtime.bigint() - start) / 1000 / tokens.length);
}
const coldDefaultSync = coldDefault.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
const same = [tokens[0]];
const warmAsync = await measure((t) => warm.verify(t), same, 20000);
const warmSync = await measure((t) => warm.verifySync(t), same, 20000);

/** Median ms to import `specifier` in a fresh Node process (9 processes). */
function importMs(specifier) {
  const runs = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e",
      `const s = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - s);`]);
    runs.push(Number(out.toString()));
  }
  return runs.sort((a, b) => a - b)[4];
}
const emptyModule = join(tmpdir(), "convex-auth-wasm-bench-empty.mjs");
writeFileSync(emptyModule, "export const x = 1;\n");
const loadEmpty = importMs(pathToFileURL(emptyModule).href);
const loadOurs = importMs(entry);
const loadJose = importMs(pathToFileURL(join(root, "benches", "node_modules", "jose", "dist", "webapi", "index.js")).href);
const gzipKb = (entryName) => {
  const dir = join(root, "pkg", entryName);
  const file = readdirSync(dir).find((f) => f.endsWith(".wasm"));
  return gzipSync(readFileSync(join(dir, file)), { level: 9 }).length / 1024;
};

// jose's own time swings ±15% between runs on a shared machine; the floor (the same crypto with
// no checks beyond the claims) is the steadier yardstick for the cold paths.
const row = (what, us, goal = "") =>
  `| ${what} | ${us.toFixed(us < 10 ? 2 : 0)} | ${(us / jose).toFixed(3)} | ${(us / node).toFixed(2)} | ${goal} |`;
console.log(`Node ${process.version}, RSA-2048 RS256, median of ${ROUNDS} rounds, µs per verify; ratio = ÷ jose in this run\n`);
console.log("| what | µs | × jose | × floor | goal (× jose) |\n|---|---|---|---|---|");
console.log(row("jose `jwtVerify`, key imported once (reference)", jose));
console.log(row("node:crypto sync verify + claim checks (floor)", node));
console.log(row("**warm** `verify` (same token, cache hit)", warmAsync, "≤ 0.01"));
console.log(row("**warm** `verifySync`", warmSync, "≤ 0.01"));
console.log(row("**cold** `verify`, node:crypto (the default on Node)", coldNodeAsync, "≤ 0.25"));
console.log(row("**cold** `verifySync`, node:crypto", coldNodeSync, "≤ 0.25"));
console.log(row("**cold** `verifySync`, node:crypto, default 1000-entry cache (a miss, then cached)", coldDefaultSync));
console.log(row("**cold** `verify`, WebCrypto (the default on edge runtimes)", coldWebAsync, "≤ 1.0"));
console.log(row("**cold** `verifySync`, wasm RSA (no native crypto)", coldWasmSync, "≤ 1.5"));
console.log(row("rejecting a forged 7 KB token naming 500 claims (node:crypto)", rejectForged));
console.log(`\n| module | gzip | goal |\n|---|---|---|`);
console.log(`| edge \`.wasm\` | ${gzipKb("edge").toFixed(1)} KB | ≤ 75 KB |`);
console.log(`| client \`.wasm\` | ${gzipKb("client").toFixed(1)} KB | ≤ 60 KB |`);
console.log(`| server \`.wasm\` (Next.js middleware) | ${gzipKb("server").toFixed(1)} KB | |`);
console.log(`\nimport in a fresh process (median of 9): an empty module ${loadEmpty.toFixed(1)} ms (Node's own cost); ` +
  `the edge Node entry ${loadOurs.toFixed(1)} ms (${(loadOurs - loadEmpty).toFixed(1)} ms over empty; goal ≤ 5 ms); jose ${loadJose.toFixed(1)} ms`);
