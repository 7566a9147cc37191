#!/usr/bin/env bash
# `npm run audit [-- cargo|npm]`: the dependency audits (SECURITY.md,
# "Supply chain"). `npm test` runs `cargo` and `npm` as one counted step each.
#
#   cargo: cargo-deny (pinned, installed into .tools/ once) checks bans,
#          licenses and sources against deny.toml — offline, always; then
#          advisories against the RustSec database (a git repository on
#          GitHub), fetched when reachable, else a copy fetched earlier.
#   npm:   `npm audit` against the registry's advisory service.
#
# A finding fails. An advisory source that cannot be reached is reported as
# "skipped" and passes, so a network outage does not make CI flaky; with
# AUDIT_STRICT=1 (release builds) it fails instead.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STRICT=${AUDIT_STRICT:-0}
CARGO_DENY_VERSION=0.20.2
DENY_ROOT="$ROOT/.tools/cargo-deny-$CARGO_DENY_VERSION"
# Advisories judged not to apply (GHSA IDs), each explained in SECURITY.md's
# "Known advisories" table. Empty: none is ignored.
NPM_AUDIT_IGNORE=()

unreachable() { # what, why
  if [ "$STRICT" = 1 ]; then
    echo "[audit] FAILED: $1 unreachable ($2) and AUDIT_STRICT=1"
    return 1
  fi
  echo "[audit] skipped: $1 unreachable ($2); run 'npm run audit' where it is (SECURITY.md)"
  return 0
}

audit_cargo() {
  if [ ! -x "$DENY_ROOT/bin/cargo-deny" ]; then
    echo "[audit] installing cargo-deny $CARGO_DENY_VERSION into .tools/ (a few minutes, once)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --root "$DENY_ROOT" --quiet || return 1
  fi
  local deny="$DENY_ROOT/bin/cargo-deny"
  local status=0
  # The offline checks read `cargo metadata` for every target of deny.toml:
  # the lockfile's crates must all be in cargo's cache first (a build
  # downloads only this machine's; the registry is reachable).
  cargo fetch --locked --quiet && cargo fetch --locked --quiet --manifest-path fuzz/Cargo.toml || status=1
  echo "[audit] cargo deny check bans licenses sources (root workspace, then fuzz/)"
  "$deny" -L error --color never --locked --offline check bans licenses sources || status=1
  # fuzz/ is built for this machine only (its wasm32 crates need not be
  # downloaded).
  local host
  host=$(rustc -vV | sed -n 's/^host: //p')
  "$deny" -L error --color never --locked --offline --manifest-path fuzz/Cargo.toml --config deny.toml \
    -t "$host" check bans licenses sources || status=1
  echo "[audit] cargo deny check advisories"
  local log
  log=$(mktemp)
  if timeout 120 "$deny" --color never fetch db >"$log" 2>&1; then
    "$deny" --color never --locked --offline check advisories || status=1
  elif ls "${CARGO_HOME:-$HOME/.cargo}"/advisory-dbs/*/ >/dev/null 2>&1; then
    echo "[audit] the advisory database could not be updated: checking against the copy fetched earlier"
    "$deny" --color never --locked --offline check advisories || status=1
  else
    unreachable "the RustSec advisory database" "$(grep -m1 -oE 'failed to fetch advisory database [^ ]*' "$log" || echo 'fetch failed')" || status=1
  fi
  rm -f "$log"
  return $status
}

audit_npm() {
  echo "[audit] npm audit (all dependencies; none of them ships in the package)"
  local out
  out=$(npm audit --json 2>/dev/null)
  # npm exits non-zero both for findings and for an unreachable service: the
  # JSON says which.
  IGNORE="${NPM_AUDIT_IGNORE[*]:-}" node -e '
    const r = JSON.parse(process.argv[1] || "{}");
    if (!r.vulnerabilities) {
      const why = r.error?.summary || r.message || "no answer";
      console.log(`UNREACHABLE ${String(why).split("\n")[0].slice(0, 160)}`);
      process.exit(0);
    }
    const ignore = new Set((process.env.IGNORE || "").split(" ").filter(Boolean));
    const rank = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 };
    const found = [];
    for (const [name, v] of Object.entries(r.vulnerabilities)) {
      for (const via of v.via) {
        if (typeof via !== "object") continue; // reached through another package, listed there
        const id = (via.url || "").split("/").pop();
        if (rank[via.severity] >= rank.moderate && !ignore.has(id)) found.push(`${via.severity} ${name} ${id} ${via.title}`);
      }
    }
    const counts = r.metadata?.vulnerabilities ?? {};
    console.log(`counts: ${JSON.stringify(counts)}`);
    for (const f of found) console.log(`FINDING ${f}`);
    process.exit(found.length ? 1 : 0);
  ' "$out" >"$ROOT/tests/.tmp/npm-audit.txt" 2>&1
  local status=$?
  cat "$ROOT/tests/.tmp/npm-audit.txt"
  if grep -q '^UNREACHABLE' "$ROOT/tests/.tmp/npm-audit.txt"; then
    unreachable "the npm advisory service" "$(sed -n 's/^UNREACHABLE //p' "$ROOT/tests/.tmp/npm-audit.txt")"
    return $?
  fi
  return $status
}

mkdir -p tests/.tmp
what=${1:-all}
case "$what" in
  cargo) audit_cargo ;;
  npm) audit_npm ;;
  all)
    s=0
    audit_cargo || s=1
    audit_npm || s=1
    exit $s
    ;;
  *) echo "usage: scripts/audit.sh [cargo|npm]" >&2; exit 2 ;;
esac
