#!/usr/bin/env bash
# Fuzzes token and JWKS parsing/verification, and the JSON reader against serde_json, with
# cargo-fuzz (libFuzzer) for SECONDS per target (default 60). cargo-fuzz needs nightly flags;
# RUSTC_BOOTSTRAP lets the stable toolchain (the only one this project installs) accept them —
# fuzzing only, never the shipped build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/fuzz"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
b64() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
mkdir -p corpus/token corpus/token_es256 corpus/jwks corpus/json
# Seeds: the test key's valid token (mutated by the fuzzer) and a kid/typ variant.
cp "$ROOT/tests/fixtures/test-rsa-2048.jwt" corpus/token/valid
sig="$(cut -d. -f3 "$ROOT/tests/fixtures/test-rsa-2048.jwt")"
now=1700000000
printf '%s.%s.%s' "$(b64 '{"alg":"RS256","kid":"k","typ":"JWT"}')" "$(b64 '{"aud":["a","convex"],"exp":1.5}')" "$sig" > corpus/token/kid
cp "$ROOT/tests/fixtures/test-ec-p256.jwt" corpus/token_es256/valid
cp "$ROOT/tests/fixtures/test-rsa-2048.jwks.json" corpus/jwks/test-key
cp "$ROOT/tests/fixtures/test-ec-p256.jwks.json" corpus/jwks/test-ec-key
n="$(head -c 256 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
printf '{"keys":[{"use":"sig","kty":"RSA","n":"%s","e":"AQAB"},{"kty":"EC","crv":"P-256"}]}' "$n" > corpus/jwks/convex
cp corpus/jwks/* corpus/json/
printf '[1.5e300,-0,"\\ud83d\\ude00\\n",{"a":{"a":[true,false,null]}},123456789012345678901234]' > corpus/json/mixed
status=0
for target in token token_es256 jwks json; do
  step "fuzz: $target for ${seconds}s"
  log="$(mktemp)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" >"$log" 2>&1 \
    || { status=1; tail -40 "$log"; }
  grep -E '^Done [0-9]+ runs' "$log" || true
  rm -f "$log"
done
exit "$status"
