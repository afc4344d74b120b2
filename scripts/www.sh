#!/usr/bin/env bash
# The demo app: `prepare` installs www's dependencies and the package from its packed tarball;
# `build` runs `next build` (skipped when neither the app nor the package changed: the
# deployment URLs are read at request time, so one build serves every backend); `demo` starts
# the local backends (Convex Auth 0.0.95, and a Convex Auth 2 deployment beside it) and the
# production app and waits.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/www"

prepare() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --silent --no-audit --no-fund
  fi
  local hash stamp=node_modules/.convex-auth-wasm-hash
  hash="$(cat "$ROOT/pkg/.build-hash")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    rm -f "$ROOT"/pkg-*.tgz
    (cd "$ROOT" && npm pack ./pkg --silent >/dev/null)
    mv "$ROOT"/convex-auth-wasm-*.tgz "$ROOT/www/.convex-auth-wasm.tgz"
    npm install --no-save --no-audit --no-fund --silent ./.convex-auth-wasm.tgz
    echo "$hash" > "$stamp"
  fi
}

app_hash() {
  { cat "$ROOT/pkg/.build-hash"
    find app convex lib proxy.ts package-lock.json tsconfig.json -type f -print0 | sort -z | xargs -0 cat
  } | sha256sum | cut -d' ' -f1
}

build() {
  prepare
  local hash stamp=.next/.convex-auth-wasm-build
  hash="$(app_hash)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    echo "www: .next is up to date"
    return
  fi
  NEXT_TELEMETRY_DISABLED=1 npx next build
  echo "$hash" > "$stamp"
}

demo() {
  local app_port="${APP_PORT:-3000}"
  export CLOUD_PORT="${CLOUD_PORT:-3210}" SITE_PORT="${SITE_PORT:-3211}"
  export SITE_URL="http://localhost:$app_port"
  export CONVEX_URL="http://127.0.0.1:$CLOUD_PORT"
  export CONVEX_SITE_URL="http://127.0.0.1:$SITE_PORT"
  build
  step "demo: local backend (real @convex-dev/auth 0.0.95 server code, in memory)"
  npx tsx backend/main.ts &
  local backend=$!
  step "demo: local Convex Auth 2 deployment (real @convex-dev/auth 2.0.0, in memory) on :3220/:3221"
  (cd backend-v2 && CLOUD_PORT=3220 SITE_PORT=3221 npx tsx main.ts) &
  local backend_v2=$!
  trap 'kill $backend $backend_v2 2>/dev/null' EXIT
  sleep 2
  step "demo: open http://localhost:$app_port  (Ctrl-C stops everything)"
  NEXT_TELEMETRY_DISABLED=1 npx next start -p "$app_port" -H localhost
}

"${1:-demo}"
