#!/usr/bin/env bash
# Installs whatever is missing and skips what is present. Safe to run again and again.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "setup: Rust wasm target"
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

step "setup: wasm-pack $WASM_PACK_VERSION"
if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

step "setup: wasm-bindgen CLI $WASM_BINDGEN_VERSION (must match Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  # --locked fails here: a pinned transitive version is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

step "setup: Debian packages (chromium, chromium-driver; openssl for the tests' https app; nginx and redis-server for the load-balanced test)"
if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ] || ! command -v openssl >/dev/null \
  || ! command -v nginx >/dev/null || ! command -v redis-server >/dev/null; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver openssl nginx-light redis-server >/dev/null
fi

step "setup: npm tools (wasm-opt from binaryen $BINARYEN_VERSION) and test dependencies"
# Never Debian's binaryen: its old wasm-opt silently emits a broken module.
if [ ! -x .tools/node_modules/.bin/wasm-opt ] || ! wasm-opt --version | grep -q "${BINARYEN_VERSION%%.*}"; then
  npm install --silent --no-audit --no-fund --prefix .tools "binaryen@$BINARYEN_VERSION"
fi
for dir in js tests/js tests/runtimes tests/migration benches www www/backend-v2; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --silent --no-audit --no-fund)
  fi
done
echo "setup: done"
