// The migration fixtures (tests/migration): apps written against @convex-dev/auth 0.0.95, built
// as written and with their imports changed to convex-auth-wasm — the change a user makes, and
// nothing else — with their own Next.js, against the local backend.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installPackage, repoRoot } from "./package.mjs";

const root = join(repoRoot, "tests", "migration");
const scratch = join(root, ".scratch");
export const fixtureNext = join(root, "node_modules", "next", "dist", "bin", "next");

/** The migration itself: `@convex-dev/auth/<entry>` imports become `convex-auth-wasm/<entry>`. */
export const migrateSource = (source) => source.replaceAll(/(["'])@convex-dev\/auth\//g, "$1convex-auth-wasm/");

/** Installs the packed package beside the fixtures' dependencies (again only when pkg/ changed). */
function installIntoFixtures() {
  const packed = installPackage();
  const hash = readFileSync(join(packed, ".installed-hash"), "utf8");
  const stamp = join(root, "node_modules", ".convex-auth-wasm-hash");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz"));
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--silent", join(packed, tarball)], { cwd: root });
  writeFileSync(stamp, hash);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Copies fixture `name` to a scratch app — migrated or as written — and runs `next build` there
 * for a deployment at `convexUrl`. Resolves
 * with the app's directory and, when migrated, every line the migration changed.
 */
export function buildFixtureApp(name, { migrated, convexUrl }) {
  installIntoFixtures();
  const app = join(scratch, `${name}-${migrated ? "migrated" : "official"}`);
  rmSync(app, { recursive: true, force: true });
  cpSync(join(root, name), app, { recursive: true });
  const changedLines = [];
  if (migrated) {
    for (const file of filesUnder(app).filter((f) => /\.(ts|tsx|js|mjs)$/.test(f))) {
      const before = readFileSync(file, "utf8");
      const after = migrateSource(before);
      if (after === before) continue;
      const [old, now] = [before.split("\n"), after.split("\n")];
      changedLines.push(...now.filter((line, i) => line !== old[i]));
      writeFileSync(file, after);
    }
  }
  // What `npx convex dev` writes for the app: read by `next build` and `next start` alike.
  writeFileSync(join(app, ".env.local"), `NEXT_PUBLIC_CONVEX_URL=${convexUrl}\n`);
  execFileSync(process.execPath, [fixtureNext, "build"], {
    cwd: app,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "pipe",
  });
  return { app, changedLines };
}
