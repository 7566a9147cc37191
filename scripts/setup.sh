#!/usr/bin/env bash
# Installs every tool the build and the tests need, once; a second run only
# checks and returns. Tools live in the git-ignored .tools/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS"
log() { printf '[setup] %s\n' "$*"; }

# 1. The wasm target for the Rust toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm32-wasip1 runs the SRP engine's unit tests on wasm32 under node:wasi.
if ! rustup target list --installed | grep -qx wasm32-wasip1; then
  log "adding rustup target wasm32-wasip1"
  rustup target add wasm32-wasip1
fi

# 2. wasm-bindgen CLI, exactly the version the crate pins (the two must match).
WB_VERSION=$(sed -n 's/^wasm-bindgen = { *version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
[ -n "$WB_VERSION" ] || { echo "setup: cannot read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
WB_ROOT="$TOOLS/wasm-bindgen-$WB_VERSION"
if [ ! -x "$WB_ROOT/bin/wasm-bindgen" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_ROOT" --quiet
fi

# 3. npm packages (dev tools, peers and anchors), reinstalled when the lock changes.
if [ ! -f node_modules/.lock-stamp ] || ! cmp -s package-lock.json node_modules/.lock-stamp; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-stamp
fi

# 4. Chromium for the browser tests (Debian's package; needs root).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    log "WARNING: /usr/bin/chromium missing and not root: browser tests will fail (apt-get install chromium)"
  fi
fi

# 5. moto_server in a Python venv (an independent Cognito API implementation).
MOTO_VERSION=5.2.5
if [ ! -x "$TOOLS/venv/bin/moto_server" ] || ! "$TOOLS/venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  log "installing moto $MOTO_VERSION in .tools/venv"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "moto[server,cognitoidp]==$MOTO_VERSION"
fi

# 6. pycognito in the same venv: an independent implementation of Cognito's SRP
#    and SECRET_HASH that tests/vectors/generate.mjs takes known answers from.
PYCOGNITO_VERSION=2024.5.1
if ! "$TOOLS/venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('pycognito') != '$PYCOGNITO_VERSION')" 2>/dev/null; then
  log "installing pycognito $PYCOGNITO_VERSION in .tools/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "pycognito==$PYCOGNITO_VERSION"
fi
log "ready"
