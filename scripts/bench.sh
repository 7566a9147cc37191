#!/usr/bin/env bash
# `npm run bench`: builds the package if needed, then runs every
# bench/*.bench.mjs in turn (others add their own files there). Prints
# tables; no pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/gen/core_bg.wasm ] || [ "${BENCH_BUILD:-0}" = 1 ]; then
  npm run --silent build
fi
# The Node entry bundles follow pkg/*.js (cheap; keeps them current).
node scripts/node-bundle.mjs
# The size bench lists the wasm's largest functions with twiggy (once, into
# the git-ignored .tools/; without it the bench reads the name section itself).
if [ ! -x .tools/twiggy/bin/twiggy ]; then
  cargo install twiggy --version 0.8.0 --root .tools/twiggy --quiet || echo "bench: twiggy not installed; size.bench.mjs uses its own reader"
fi
# The emulator load check drives the release emulator binary.
cargo build --release -p cognito-emulator --quiet
for f in bench/*.bench.mjs; do
  echo "=== $f"
  node "$f"
done
