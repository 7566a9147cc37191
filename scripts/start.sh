#!/usr/bin/env bash
# `npm start`: the local Cognito emulator (default demo seed) on
# 127.0.0.1:9229 and the demo site (www/ + pkg/) on 127.0.0.1:8080.
# Builds the emulator in release if it is missing or older than its sources.
# Ctrl-C stops both. Extra arguments go to the emulator (e.g. --data-dir .emulator).
set -euo pipefail
cd "$(dirname "$0")/.."
# A fresh clone has nothing installed or built: set up, then build the package
# the demo page loads.
bash scripts/setup.sh
if [ ! -f pkg/gen/core_bg.wasm ] || [ -n "$(find src Cargo.toml -newer pkg/gen/core_bg.wasm -type f -print -quit 2>/dev/null)" ]; then
  npm run --silent build
fi
BIN=${COGNITO_EMULATOR_BIN:-target/release/cognito-emulator}
if [ -z "${COGNITO_EMULATOR_BIN:-}" ] && { [ ! -x "$BIN" ] || [ -n "$(find emulator src Cargo.toml -newer "$BIN" -type f -print -quit 2>/dev/null)" ]; }; then
  echo "building the emulator (cargo build --release -p cognito-emulator)..."
  cargo build --release -p cognito-emulator
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# The demo pages on :8080 are registered callbacks in the default seed, so
# the emulator lets them call it (CORS); a WWW_PORT elsewhere needs the flags.
"$BIN" --host 127.0.0.1 --port "${EMULATOR_PORT:-9229}" \
  --allow-origin "http://127.0.0.1:${WWW_PORT:-8080}" --allow-origin "http://localhost:${WWW_PORT:-8080}" "$@" &
pids+=($!)
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:${EMULATOR_PORT:-9229}/_emulator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  sleep 0.1
done
node scripts/serve.mjs "${WWW_PORT:-8080}" &
pids+=($!)
sleep 0.3

cat <<MSG

  Cognito emulator   http://127.0.0.1:${EMULATOR_PORT:-9229}
    user pool        us-east-1_LocalDemo   (issuer http://127.0.0.1:${EMULATOR_PORT:-9229}/us-east-1_LocalDemo)
    SPA client       demo-spa-client       (public; callbacks http://127.0.0.1:8080/ and http://localhost:8080/)
    hosted UI        http://127.0.0.1:${EMULATOR_PORT:-9229}/oauth2/authorize
    outbox (codes)   http://127.0.0.1:${EMULATOR_PORT:-9229}/_emulator/outbox
  Demo site          http://127.0.0.1:${WWW_PORT:-8080}/             (CognitoAuth sign-in)
                     http://127.0.0.1:${WWW_PORT:-8080}/hosted.html  (the hosted UI: redirect + PKCE)
                     http://127.0.0.1:${WWW_PORT:-8080}/widget/      (the <cognito-login> widget SPA)
  Demo credentials   username demo   password Demo-Passw0rd!

  Ctrl-C stops both.
MSG
wait -n "${pids[@]}"
