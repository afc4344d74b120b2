// Installs the built package from its packed tarball into a scratch project, exactly as a user
// would (`npm pack` + `npm install <tarball>`). Reused while pkg/ is unchanged.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..", "..");
export const scratch = join(here, "..", ".scratch");
const pkgDir = join(repoRoot, "pkg");

export function installPackage() {
  const buildHash = readFileSync(join(pkgDir, ".build-hash"), "utf8").trim();
  const stamp = join(scratch, ".installed-hash");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === buildHash) return scratch;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const tarball = execFileSync("npm", ["pack", pkgDir, "--pack-destination", scratch, "--silent"], {
    encoding: "utf8",
  }).trim().split("\n").pop();
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", `./${tarball}`], { cwd: scratch });
  writeFileSync(stamp, buildHash);
  return scratch;
}

/** Writes a module into the scratch project and imports it, so bare specifiers resolve there. */
export async function importInScratch(name, source) {
  const file = join(installPackage(), name);
  writeFileSync(file, source);
  return import(pathToFileURL(file).href);
}

/** A token shaped like Convex Auth's, unsigned (for decoding tests). */
export function fakeToken(claims, header = { alg: "RS256" }) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64(header)}.${b64(claims)}.${Buffer.from("sig").toString("base64url")}`;
}
