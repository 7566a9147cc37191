#!/usr/bin/env bash
# `npm run bench`: builds the package if needed, then runs every
# bench/*.bench.mjs in turn (others add their own files there). Prints
# tables; no pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/gen/cognito_wasm_bg.wasm ] || [ "${BENCH_BUILD:-0}" = 1 ]; then
  npm run --silent build
fi
# The emulator load check drives the release emulator binary.
cargo build --release -p cognito-emulator --quiet
for f in bench/*.bench.mjs; do
  echo "=== $f"
  node "$f"
done
