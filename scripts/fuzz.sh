#!/usr/bin/env bash
# `npm run fuzz [-- SECONDS [TARGET...]]`: runs each fuzz target of fuzz/
# (cargo-fuzz, libFuzzer, coverage-guided) for SECONDS (default 60), then
# prints one line per target — executions, crashes, corpus size — and exits
# non-zero if any target crashed. `npm test` runs it for a few seconds each.
#
#   bash scripts/fuzz.sh 600 json machine   # ten minutes on two targets
#
# Needs the nightly toolchain (cargo-fuzz's instrumentation flags); installs
# the pinned cargo-fuzz into .tools/ once. Each target's corpus grows in
# fuzz/corpus/<target>/ (git-ignored) from the committed seeds in
# fuzz/seeds/<target>/; a crashing input is saved in fuzz/artifacts/<target>/
# and replayed with `cargo +nightly fuzz run <target> <file>`. Built without
# a sanitizer: the code under test is safe Rust (the SRP engine's only
# `unsafe` is wasm32 SIMD, not compiled here), so what is hunted is panics,
# overflow (debug assertions and overflow checks are on), timeouts and
# memory blow-ups.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${1:-60}
shift || true
CARGO_FUZZ_VERSION=0.13.2
CF_ROOT="$ROOT/.tools/cargo-fuzz-$CARGO_FUZZ_VERSION"
export CARGO_TERM_COLOR=never

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "[fuzz] installing the nightly toolchain (minimal profile, once)"
  rustup toolchain install nightly --profile minimal || exit 1
fi
if [ ! -x "$CF_ROOT/bin/cargo-fuzz" ]; then
  echo "[fuzz] installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/ (a minute or two, once)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$CF_ROOT" --quiet || exit 1
fi
export PATH="$CF_ROOT/bin:$PATH"

cd fuzz
if [ "$#" -gt 0 ]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi

echo "[fuzz] building ${#TARGETS[@]} targets"
if ! cargo +nightly fuzz build -s none; then
  echo "[fuzz] build failed"
  exit 1
fi

LOGS="$ROOT/fuzz/target/logs"
mkdir -p "$LOGS"
total_crashes=0
failed_targets=()
summary=()
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(find "artifacts/$t" -type f | wc -l)
  # -timeout: one input taking over 10 s is a finding (a loop), as is a run
  # over 2 GiB of memory (-rss_limit_mb's default).
  cargo +nightly fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECS" -timeout=10 -max_len=16384 -print_final_stats=1 -dict=json.dict \
    >"$LOGS/$t.log" 2>&1
  status=$?
  after=$(find "artifacts/$t" -type f | wc -l)
  crashes=$((after - before))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/$t.log" | tail -n1)
  execs=${execs:-$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$LOGS/$t.log" | tail -n1)}
  corpus=$(find "corpus/$t" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1 # failed without an artifact (build or harness error): count it
  fi
  line=$(printf '%-18s %10s execs  %d crashes  %5d corpus  (%ss)' "$t" "${execs:-?}" "$crashes" "$corpus" "$SECS")
  echo "$line"
  summary+=("$line")
  if [ "$crashes" -gt 0 ]; then
    total_crashes=$((total_crashes + crashes))
    failed_targets+=("$t")
    grep -E 'panicked at|^thread|ERROR: libFuzzer|Test unit written|SUMMARY' "$LOGS/$t.log" | head -n 8 | sed 's/^/    /'
  fi
done

echo
echo "[fuzz] per target (${SECS}s each):"
printf '  %s\n' "${summary[@]}"
if [ "$total_crashes" -gt 0 ]; then
  echo "[fuzz] $total_crashes crash(es) in: ${failed_targets[*]} (inputs in fuzz/artifacts/, logs in fuzz/target/logs/)"
  exit 1
fi
echo "[fuzz] no crashes"
