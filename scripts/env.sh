# Sourced by every script: tool locations and versions, in one place.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
# Must equal the wasm-bindgen pinned in Cargo.toml (checked by scripts/setup.sh).
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/Cargo.toml")"
export WASM_BINDGEN_VERSION
export WASM_PACK_VERSION="0.15.1"
export BINARYEN_VERSION="132.0.0"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
