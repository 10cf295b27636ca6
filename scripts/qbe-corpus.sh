#!/usr/bin/env bash
# Checks Keel against QBE's own test files: each must parse and verify
# (`keel check`), and formatting must be a fixed point (fmt of fmt = fmt).
#
# usage: scripts/qbe-corpus.sh QBE_SOURCE_DIR [KEEL_BINARY]
#   QBE_SOURCE_DIR is a checkout of QBE (its test/ folder is read, nothing is built).
set -uo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_SOURCE_DIR [KEEL_BINARY]}
keel=${2:-}
if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null || exit 1
  keel=$(swift build -c release --show-bin-path)/keel
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0
for f in "$qbe"/test/*.ssa; do
  name=$(basename "$f")
  if ! "$keel" check "$f" 2> "$tmp/err"; then
    echo "FAIL check $name"; sed 's/^/    /' "$tmp/err" | head -5; fail=$((fail + 1)); continue
  fi
  "$keel" fmt "$f" > "$tmp/a.ssa" 2> "$tmp/err" &&
  "$keel" fmt "$tmp/a.ssa" > "$tmp/b.ssa" 2>> "$tmp/err" &&
  "$keel" check "$tmp/a.ssa" 2>> "$tmp/err"
  if [ $? -ne 0 ] || ! cmp -s "$tmp/a.ssa" "$tmp/b.ssa"; then
    echo "FAIL round-trip $name"; sed 's/^/    /' "$tmp/err" | head -5; fail=$((fail + 1)); continue
  fi
  pass=$((pass + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
