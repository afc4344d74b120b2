#!/usr/bin/env bash
# Runs every test level: lint, native, wasm in Node, wasm in real headless Chromium, and JS tests
# of the packed package. Prints the time of each level and a closing tally of tests.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

LOG_DIR="$ROOT/target/test-logs"
mkdir -p "$LOG_DIR"
passed=0 failed=0 failed_levels=()
timings=()

# level NAME COMMAND… — runs one level, records its time and its runner's test counts.
level() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log" start end status
  step "test: $name"
  start=$(date +%s%3N)
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  end=$(date +%s%3N)
  timings+=("$(printf '%-12s %5d.%d s  %s' "$name" $(((end - start) / 1000)) $(((end - start) % 1000 / 100)) \
    "$([ "$status" = 0 ] && echo ok || echo FAILED)")")
  # cargo / wasm-bindgen-test: "test result: ok. 7 passed; 0 failed"; node: "# pass 5" / "# fail 0".
  local p f
  p=$(grep -oE '([0-9]+) passed;' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '([0-9]+) failed;' "$log" | awk '{s+=$1} END {print s+0}')
  p=$((p + $(grep -oE '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  f=$((f + $(grep -oE '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$status" != 0 ]; then
    failed_levels+=("$name")
    [ "$f" = 0 ] && failed=$((failed + 1))   # a level that failed outside any test counts once
  fi
}

WASM_FEATURES=(--features client,edge,es256,server,doctor)
level fmt cargo fmt --all --check
level clippy bash -c 'cargo clippy --all-targets --features client,edge,es256,server,doctor -- -D warnings \
  && cargo clippy --all-targets --target wasm32-unknown-unknown --features client,edge,es256,server,doctor -- -D warnings \
  && cargo clippy --lib --target wasm32-unknown-unknown --features client -- -D warnings \
  && cargo clippy --lib --target wasm32-unknown-unknown --features edge,es256 -- -D warnings \
  && cargo clippy --lib --target wasm32-unknown-unknown --features server,es256 -- -D warnings'
level rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --features client,edge,es256,server,doctor
level native cargo test --quiet --features client,edge,es256,server,doctor
level build bash scripts/build.sh
level size node scripts/size-budget.mjs
level wasm-node wasm-pack test --node -- "${WASM_FEATURES[@]}" --test web_node
level wasm-chrome wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" -- "${WASM_FEATURES[@]}" --test web_browser --test web_session
level js-package bash -c 'cd tests/js && node --test --test-concurrency=1 package/'
level runtimes bash -c 'cd tests/runtimes && node --test --test-concurrency=1 *.test.mjs'
level js-nextjs bash -c 'cd tests/js && node --test --test-concurrency=1 nextjs/'
level js-v2 bash -c 'cd tests/js && node --test --test-concurrency=1 v2/'
level www-build bash scripts/www.sh build
level e2e bash -c 'cd tests/js && node --test --test-concurrency=1 e2e/'
level oauth bash -c 'cd tests/js && node --test --test-concurrency=1 oauth/'
level migration bash -c 'cd tests/js && node --test --test-concurrency=1 migration/'

step "test: summary"
printf '%s\n' "${timings[@]}"
[ ${#failed_levels[@]} = 0 ] || echo "failed levels: ${failed_levels[*]}"
echo "tests: $passed passed, $failed failed"
[ ${#failed_levels[@]} = 0 ]
