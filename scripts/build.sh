#!/usr/bin/env bash
# Builds the npm package in pkg/: one wasm module per entry point (client, edge, server, doctor), the loaders
# for each runtime, TypeScript declarations, and package.json. Skips the build when nothing
# that goes into it has changed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

inputs_hash() {
  { find src js -name node_modules -prune -o -type f -print0 | sort -z | xargs -0 cat
    cat Cargo.toml Cargo.lock README.md scripts/build.sh scripts/minify-wasm-names.mjs \
      scripts/assemble-package.mjs; } \
    | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
if [ "${FORCE_BUILD:-}" != 1 ] && [ -f pkg/.build-hash ] && [ "$(cat pkg/.build-hash)" = "$hash" ]; then
  echo "build: pkg/ is up to date"
  node scripts/assemble-package.mjs --report
  exit 0
fi

rm -rf pkg
# The release profile is for size (opt-level "z"): the browser downloads the client, and the
# doctor runs once. The server-side modules verify a token on every request, so they are built
# for speed: opt-level 3 makes a cold verify ~1.5 µs and a wasm RSA check ~30 µs faster for
# ~7 KB gzip more (README, "Benchmark" and "Sizes").
opt_level() { case "$1" in edge | server) echo 3 ;; *) echo z ;; esac; }
# The verifier's modules check Convex Auth 2's ES256 tokens too.
features() { case "$1" in edge | server | doctor) echo "$1,es256" ;; *) echo "$1" ;; esac; }
for entry in client edge server doctor; do
  step "build: $entry module (wasm-pack --release --features $(features "$entry"), opt-level $(opt_level "$entry"))"
  CARGO_PROFILE_RELEASE_OPT_LEVEL="$(opt_level "$entry")" wasm-pack --quiet build --target web \
    --release --no-pack --out-dir "pkg/$entry" --out-name "convex_auth_$entry" -- --features "$(features "$entry")"
  node scripts/minify-wasm-names.mjs "pkg/$entry" "convex_auth_$entry"
done
step "build: package"
node scripts/assemble-package.mjs
echo "$hash" > pkg/.build-hash
node scripts/assemble-package.mjs --report
