// Fails when a shipped .wasm grows past its gzip budget (scripts/size-budget.json, KB). Sizes
// are deterministic for a given toolchain, so a budget is a line that only moves on purpose:
// down as modules shrink, to the goal once it is reached.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const budgets = JSON.parse(readFileSync(join(root, "scripts", "size-budget.json"), "utf8"));
let over = 0;
for (const [entry, { budgetKb, goalKb }] of Object.entries(budgets)) {
  const wasm = readFileSync(join(root, "pkg", entry, `convex_auth_${entry}_bg.wasm`));
  const kb = gzipSync(wasm, { level: 9 }).length / 1024;
  const ok = kb <= budgetKb;
  if (!ok) over++;
  console.log(`${ok ? "ok  " : "OVER"} ${entry.padEnd(7)} ${kb.toFixed(1).padStart(6)} KB gzip  (budget ${budgetKb} KB, goal ${goalKb} KB)`);
}
if (over) {
  console.log(`${over} module(s) over budget: shrink them, or raise the budget in scripts/size-budget.json on purpose`);
  process.exit(1);
}
console.log("test result: ok. " + Object.keys(budgets).length + " passed; 0 failed;");
