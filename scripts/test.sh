#!/usr/bin/env bash
# `npm test`: the whole suite, from a fresh clone or again on the same machine.
#
#   setup (installs what is missing, once) → cargo fmt --check → cargo clippy
#   (native, then wasm32 for each wasm module's exports)
#   → audits (cargo deny, npm audit) → cargo test
#   → cargo build --release -p cognito-emulator → fuzz (every target, briefly)
#   → npm run build
#   → tsc (types of pkg/index.d.ts)
#   → tests/vectors/generate.mjs --check (if present)
#   → node --test over every tests/**/*.test.mjs
#
# Every step runs even if an earlier one failed, so one run shows everything.
# The last line is the summary, exactly `N passed, N failed`: the cargo and
# node test counts, plus one per check step (fmt, clippy, the two audits,
# emulator build, fuzz, package build, tsc, vector check), so a failing check
# is counted too. Exit status is non-zero on any
# failure. Needs no terminal; the network only for package registries.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CI=1 NO_COLOR=1 CARGO_TERM_COLOR=never
LOGDIR="$ROOT/tests/.tmp/test-logs"
rm -rf "$LOGDIR" && mkdir -p "$LOGDIR"

passed=0
failed=0
failures=()
times=()
cur_step=""
step_t0=$SECONDS
step() { # closes the previous step's timer, opens the next
  [ -n "$cur_step" ] && times+=("$cur_step: $((SECONDS - step_t0))s")
  cur_step=$1
  step_t0=$SECONDS
  printf '\n=== %s\n' "$*"
}
count_check() { # name, exit status
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

step "setup"
if ! bash scripts/setup.sh; then
  echo "setup failed: nothing else can run"
  echo "0 passed, 1 failed"
  exit 1
fi

step "cargo fmt --all --check (and the fuzz/ workspace)"
cargo fmt --all --check -- --color=never \
  && cargo fmt --manifest-path fuzz/Cargo.toml --all --check -- --color=never
count_check "cargo fmt" $?

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
count_check "cargo clippy" $?

step "cargo clippy --target wasm32-unknown-unknown -p cognito-wasm (the wasm exports of both modules)"
# The three modules' feature sets: the full core with the SRP module's
# exports, and the session core (no sign-in machines) on its own.
cargo clippy --target wasm32-unknown-unknown -p cognito-wasm --lib --no-default-features --features core-exports,signin,srp-exports --quiet -- -D warnings \
  && cargo clippy --target wasm32-unknown-unknown -p cognito-wasm --lib --no-default-features --features core-exports --quiet -- -D warnings
count_check "cargo clippy (wasm32)" $?

# The audits (SECURITY.md, "Supply chain"): a finding fails; an advisory
# source that cannot be reached is reported as skipped (AUDIT_STRICT=1 makes
# it fail), so a network outage does not make the suite flaky.
step "audit: cargo deny (bans, licenses, sources; advisories when reachable)"
bash scripts/audit.sh cargo
count_check "audit (cargo deny)" $?

step "audit: npm audit"
bash scripts/audit.sh npm
count_check "audit (npm)" $?

step "cargo test --workspace"
cargo test --workspace 2>&1 | tee "$LOGDIR/cargo-test.log"
cargo_status=${PIPESTATUS[0]}
read -r cargo_p cargo_f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$LOGDIR/cargo-test.log")
passed=$((passed + cargo_p))
failed=$((failed + cargo_f))
if [ "$cargo_status" -ne 0 ] && [ "$cargo_f" -eq 0 ]; then
  failed=$((failed + 1)) # did not compile, or a harness failure without a count
fi
[ "$cargo_status" -ne 0 ] && failures+=("cargo test")

step "cargo build --release -p cognito-emulator (for the JS tests that drive it)"
cargo build --release -p cognito-emulator --quiet
count_check "emulator build" $?
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
export COGNITO_EMULATOR_BIN="${COGNITO_EMULATOR_BIN:-$TARGET_DIR/release/cognito-emulator}"

step "cargo test: the oauth and cognito cores against the emulator binary"
# These integration tests are #[ignore]d in a plain `cargo test` because they
# need the release emulator built just above.
cargo test -p cognito-wasm --test oauth_emulator --test cognito_emulator -- --ignored 2>&1 | tee "$LOGDIR/cargo-test-emulator.log"
emu_status=${PIPESTATUS[0]}
read -r emu_p emu_f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$LOGDIR/cargo-test-emulator.log")
passed=$((passed + emu_p))
failed=$((failed + emu_f))
if [ "$emu_status" -ne 0 ]; then
  failures+=("cargo test (emulator)")
  [ "$emu_f" -eq 0 ] && failed=$((failed + 1))
fi

# A short run of every fuzz target (scripts/fuzz.sh prints executions and
# crashes per target; `npm run fuzz` for long runs). One check: any crash
# fails it. FUZZ_SECONDS per target, default 8 (11 targets: about 1.5 min
# plus the build, which is incremental after the first run).
step "fuzz: every target for ${FUZZ_SECONDS:-8}s (scripts/fuzz.sh)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-8}"
count_check "fuzz" $?

step "npm run build"
npm run --silent build
count_check "build" $?

step "tsc: pkg/index.d.ts against tests/runtime/types/usage.ts"
node_modules/.bin/tsc -p tests/runtime/types/tsconfig.json
count_check "tsc" $?

# Regenerating the vectors with the official client takes minutes, so it runs
# when its inputs changed since the last passing check (always in a fresh clone).
if [ -f tests/vectors/generate.mjs ]; then
  step "node tests/vectors/generate.mjs --check"
  VSTAMP="$ROOT/.tools/vectors-check.stamp"
  vsum=$(cat tests/vectors/generate.mjs tests/vectors/*.py tests/vectors/srp.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ -f "$VSTAMP" ] && [ "$(cat "$VSTAMP")" = "$vsum" ]; then
    echo "unchanged since the last passing check: skipped"
  else
    node tests/vectors/generate.mjs --check
    vstatus=$?
    count_check "vectors --check" $vstatus
    [ "$vstatus" -eq 0 ] && echo "$vsum" > "$VSTAMP"
  fi
fi

step "node --test (tests/**/*.test.mjs)"
mapfile -t TEST_FILES < <(find tests -name '*.test.mjs' -not -path 'tests/.tmp/*' -not -path '*/node_modules/*' | sort)
if [ "${#TEST_FILES[@]}" -eq 0 ]; then
  echo "no test files found"
  failed=$((failed + 1))
  failures+=("node --test: no files")
else
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$LOGDIR/node.tap" "${TEST_FILES[@]}"
  node_status=$?
  np=$(awk '/^# pass / { print $3 }' "$LOGDIR/node.tap" | tail -n1)
  nf=$(awk '/^# fail / { print $3 }' "$LOGDIR/node.tap" | tail -n1)
  nc=$(awk '/^# cancelled / { print $3 }' "$LOGDIR/node.tap" | tail -n1)
  passed=$((passed + ${np:-0}))
  failed=$((failed + ${nf:-0} + ${nc:-0}))
  if [ "$node_status" -ne 0 ]; then
    failures+=("node --test")
    [ "${nf:-0}" -eq 0 ] && [ "${nc:-0}" -eq 0 ] && failed=$((failed + 1))
  fi
fi

step "done"
echo "step times: $(IFS=';'; echo "${times[*]}") (total ${SECONDS}s)"
[ "${#failures[@]}" -gt 0 ] && echo "failed steps: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "${#failures[@]}" -eq 0 ]
