// Route-body benchmark: what the auth route's JSON reading costs for a 64 KB body (the route's
// cap) of ordinary keys and of keys crafted to collide in an unkeyed FNV-1a table (how an
// earlier reader found duplicate keys: quadratic on such keys). Medians of 9 runs.
// Run: make bench
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { nextjsRouteCall, nextjsPolicy } = await import(pathToFileURL(join(root, "pkg", "server", "node.js")).href);
const LIMIT = nextjsPolicy().maxRouteBodyBytes;

const fnvStep = (state, byte) => Math.imul(state ^ byte, 0x01000193) >>> 0;
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** 2^rounds keys whose FNV-1a hashes agree in their low `bits` bits: each round appends one of
 * two 2-character blocks that lead the low bits to the same state (the low bits of FNV-1a
 * depend on nothing above them), so any choice per round collides. */
function collidingKeys(bits, rounds) {
  const mask = (1 << bits) - 1;
  let keys = [""];
  let state = 0x811c9dc5;
  for (let round = 0; round < rounds; round++) {
    const seen = new Map();
    let pair;
    for (const a of ALPHABET) {
      for (const b of ALPHABET) {
        const next = fnvStep(fnvStep(state, a.charCodeAt(0)), b.charCodeAt(0));
        const other = seen.get(next & mask);
        if (other !== undefined) { pair = [other.block, a + b]; state = next; break; }
        seen.set(next & mask, { block: a + b });
      }
      if (pair) break;
    }
    keys = keys.flatMap((k) => [k + pair[0], k + pair[1]]);
  }
  return keys;
}

/** A route body `{"action":"auth:signIn","args":{…}}` of at most LIMIT bytes with these keys. */
function body(keys) {
  const head = '{"action":"auth:signIn","args":{';
  let text = head;
  for (const key of keys) {
    const member = `${text === head ? "" : ","}"${key}":0`;
    if (text.length + member.length + 2 > LIMIT) break;
    text += member;
  }
  return `${text}}}`;
}

// 2048 keys fill a 4096-place table (mask 4095): colliding in the low 12 bits, they probe the whole run.
const colliding = body(collidingKeys(12, 11));
const ordinary = body(Array.from({ length: 4000 }, (_, i) => `key${String(i).padStart(18, "0")}`));

function medianMs(text) {
  const runs = [];
  for (let i = 0; i < 9; i++) {
    const begin = process.hrtime.bigint();
    const asked = nextjsRouteCall("POST", false, text);
    runs.push(Number(process.hrtime.bigint() - begin) / 1e6);
    if (asked.call !== "signIn") throw new Error(`not read: ${JSON.stringify(asked)}`);
  }
  return runs.sort((a, b) => a - b)[4];
}
for (let i = 0; i < 20; i++) medianMs(ordinary); // warm-up

const members = (text) => text.split('":0').length - 1;
console.log(`\n| auth route body (cap ${LIMIT / 1024} KB) | members | ms to read | goal |\n|---|---|---|---|`);
console.log(`| ${(ordinary.length / 1024).toFixed(0)} KB, ordinary keys | ${members(ordinary)} | ${medianMs(ordinary).toFixed(2)} | |`);
console.log(`| ${(colliding.length / 1024).toFixed(0)} KB, keys colliding in an unkeyed FNV-1a table | ${members(colliding)} | ${medianMs(colliding).toFixed(2)} | ≤ 2 |`);
