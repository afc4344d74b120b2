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
const ROUNDS = 9;

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

// A forged token (bad signature) whose payload names 500 claims, just under the 8 KB limit: what
// an attacker can make each rejection cost (the payload is read before the signature is checked).
const manyClaims = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 0]));
const forged = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
  const [h, p] = (await new SignJWT({ sub: `user${i}|s`, iss: SITE, aud: "convex", exp: now + 3600, ...manyClaims })
    .setProtectedHeader({ alg: "RS256" }).sign(privateKey)).split(".");
  return `${h}.${p}.${tokens[0].split(".")[2]}`;
}));
const same = [tokens[0]];

/** A row: `start()` gives the function timed in a round (called once per round), over `list`. */
const row = (fn, list = tokens, repeat = 1) => ({ start: () => fn, list, repeat });

/** Median µs per call of each row. Rounds are round-robin (each round times every row in turn),
 * so on a shared machine every row sees the same minutes and the ratios of one run hold
 * together; each row is warmed up first with 2000 calls, long enough for the engine to finish
 * optimising (wasm functions tier up after a number of calls). */
async function measureAll(rows) {
  for (const { start, list } of Object.values(rows)) {
    const fn = start();
    for (let i = 0; i < 2000; i++) await fn(list[i % list.length]);
  }
  const times = Object.fromEntries(Object.keys(rows).map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, { start, list, repeat }] of Object.entries(rows)) {
      const fn = start();
      const begin = process.hrtime.bigint();
      for (let i = 0; i < repeat; i++) for (const t of list) await fn(t);
      times[name].push(Number(process.hrtime.bigint() - begin) / 1000 / (list.length * repeat));
    }
  }
  const median = (list) => list.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}

const us = await measureAll({
  jose: row((t) => jwtVerify(t, publicKey, { issuer: SITE, audience: "convex" })),
  node: row(nodeVerify),
  coldNodeAsync: row((t) => coldNode.verify(t)),
  coldNodeSync: row((t) => coldNode.verifySync(t)),
  // The default configuration (a 1000-entry cache): each round a new verifier, so every token
  // is a miss that is then cached — what the first request with a new token costs.
  coldDefaultSync: {
    start: () => {
      const fresh = createVerifier({ siteUrl: SITE, jwks, crypto: "node" });
      return (t) => fresh.verifySync(t);
    },
    list: tokens,
    repeat: 1,
  },
  coldWebAsync: row((t) => coldWeb.verify(t)),
  coldWasmSync: row((t) => coldWasm.verifySync(t)),
  rejectForged: row((t) => {
    try { coldNode.verifySync(t); } catch (e) { if (e.code !== "ERR_JWT_SIGNATURE_INVALID") throw e; }
  }, forged),
  warmAsync: row((t) => warm.verify(t), same, 20000),
  warmSync: row((t) => warm.verifySync(t), same, 20000),
});
const { jose, node } = us;

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
const line = (what, t, goal = "") =>
  `| ${what} | ${t.toFixed(t < 10 ? 2 : 0)} | ${(t / jose).toFixed(3)} | ${(t / node).toFixed(2)} | ${goal} |`;
console.log(`Node ${process.version}, RSA-2048 RS256, median of ${ROUNDS} rounds, µs per verify; ratio = ÷ jose in this run\n`);
console.log("| what | µs | × jose | × floor | goal (× jose) |\n|---|---|---|---|---|");
console.log(line("jose `jwtVerify`, key imported once (reference)", jose));
console.log(line("node:crypto sync verify + claim checks (floor)", node));
console.log(line("**warm** `verify` (same token, cache hit)", us.warmAsync, "≤ 0.01"));
console.log(line("**warm** `verifySync`", us.warmSync, "≤ 0.01"));
console.log(line("**cold** `verify`, node:crypto (the default on Node)", us.coldNodeAsync, "≤ 0.25"));
console.log(line("**cold** `verifySync`, node:crypto", us.coldNodeSync, "≤ 0.25"));
console.log(line("**cold** `verifySync`, node:crypto, default 1000-entry cache (a miss, then cached)", us.coldDefaultSync));
console.log(line("**cold** `verify`, WebCrypto (the default on edge runtimes)", us.coldWebAsync, "≤ 1.0"));
console.log(line("**cold** `verifySync`, wasm RSA (no native crypto)", us.coldWasmSync, "≤ 1.5"));
console.log(line("rejecting a forged 7 KB token naming 500 claims (node:crypto)", us.rejectForged));
// Convex Auth 2: ES256 tokens minted as the deployment mints them, in the same process.
const CLOUD = "https://happy-otter-123.convex.cloud";
const ec = await generateKeyPair("ES256", { extractable: true });
const ecJwks = JSON.stringify({ keys: [{ ...(await exportJWK(ec.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] });
const v2Tokens = await Promise.all(Array.from({ length: 400 }, (_, i) =>
  new SignJWT({ sub: `session${i}`, aud: "convex-auth", jti: `j${i}`, iss: `${CLOUD}/components/auth`, iat: now, exp: now + 3600 })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "k1" })
    .sign(ec.privateKey)));
const v2Cold = (crypto) => createVerifier({ convexUrl: CLOUD, jwks: ecJwks, cacheSize: 0, crypto });
const [v2Node, v2Web, v2Wasm] = ["node", "webcrypto", "wasm"].map(v2Cold);
const v2Warm = createVerifier({ convexUrl: CLOUD, jwks: ecJwks });
const es = await measureAll({
  jose: row((t) => jwtVerify(t, ec.publicKey, { issuer: `${CLOUD}/components/auth`, audience: "convex-auth" }), v2Tokens),
  warmSync: row((t) => v2Warm.verifySync(t), [v2Tokens[0]], 20000),
  coldNodeSync: row((t) => v2Node.verifySync(t), v2Tokens),
  coldWebAsync: row((t) => v2Web.verify(t), v2Tokens),
  coldWasmSync: row((t) => v2Wasm.verifySync(t), v2Tokens),
});
const esLine = (what, t, goal = "") => `| ${what} | ${t.toFixed(t < 10 ? 2 : 0)} | ${(t / es.jose).toFixed(3)} | ${goal} |`;
console.log(`\nConvex Auth 2 (ES256, P-256), median of ${ROUNDS} rounds, µs per verify; ratio = ÷ jose ES256 in this run\n`);
console.log("| what | µs | × jose | goal (× jose) |\n|---|---|---|---|");
console.log(esLine("jose `jwtVerify` ES256, key imported once (reference)", es.jose));
console.log(esLine("**warm** `verifySync` (same token, cache hit)", es.warmSync, "≤ 0.01"));
console.log(esLine("**cold** `verifySync`, node:crypto", es.coldNodeSync, "≤ 0.5"));
console.log(esLine("**cold** `verify`, WebCrypto", es.coldWebAsync, "≤ 1.0"));
console.log(esLine("**cold** `verifySync`, pure Rust (`p256`)", es.coldWasmSync, "reported"));

console.log(`\n| module | gzip | goal |\n|---|---|---|`);
console.log(`| edge \`.wasm\` (RS256 + ES256) | ${gzipKb("edge").toFixed(1)} KB | ≤ 80 KB |`);
console.log(`| client \`.wasm\` | ${gzipKb("client").toFixed(1)} KB | ≤ 60 KB |`);
console.log(`| server \`.wasm\` (Next.js middleware) | ${gzipKb("server").toFixed(1)} KB | |`);
console.log(`\nimport in a fresh process (median of 9): an empty module ${loadEmpty.toFixed(1)} ms (Node's own cost); ` +
  `the edge Node entry ${loadOurs.toFixed(1)} ms (${(loadOurs - loadEmpty).toFixed(1)} ms over empty; goal ≤ 5 ms); jose ${loadJose.toFixed(1)} ms`);
