#!/usr/bin/env bash
# Compiles every IL test program for arm64 and runs it under qemu.
#
# For each Tests/Programs/il/NAME.ssa: `keel il -t arm64 NAME.ssa -o t.s`,
# `aarch64-linux-gnu-gcc -static t.s -o t -lm`, `qemu-aarch64 ./t` with a
# timeout; its stdout and exit status must equal NAME.out and NAME.exit (0
# when absent) and what `keel interp NAME.ssa` gives. Prints one line per
# failure, the names that pass (for Tests/Programs/il/arm64-ok.txt) with -v,
# then `N passed, M failed`; exits non-zero when anything failed.
#
# usage: scripts/arm64-il-tests.sh [-v] [KEEL_BINARY] [NAME...]
#   Environment: CROSS_CC (default aarch64-linux-gnu-gcc), QEMU (default
#   qemu-aarch64), ARM64_TIMEOUT seconds per run (default 10).
set -uo pipefail
cd "$(dirname "$0")/.."
verbose=0
if [ "${1:-}" = -v ]; then verbose=1; shift; fi
keel=${1:-}
shift $(( $# > 0 ? 1 : 0 ))
if [ -z "$keel" ]; then
  swift build --product keel >/dev/null || exit 1
  keel=$(swift build --show-bin-path)/keel
fi
cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
qemu=${QEMU:-qemu-aarch64}
limit=${ARM64_TIMEOUT:-10}
for tool in "$cc" "$qemu"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install gcc-aarch64-linux-gnu qemu-user)"; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then
  files=(); for n in "$@"; do files+=("Tests/Programs/il/$n.ssa"); done
else
  files=(Tests/Programs/il/*.ssa)
fi

pass=0 fail=0
for f in "${files[@]}"; do
  name=$(basename "$f" .ssa)
  dir=$(dirname "$f")
  want_status=0
  [ -f "$dir/$name.exit" ] && want_status=$(tr -d '[:space:]' < "$dir/$name.exit")
  if ! "$keel" il -t arm64 "$f" -o "$tmp/t.s" 2>"$tmp/err"; then
    echo "FAIL $name: keel il -t arm64: $(head -1 "$tmp/err")"; fail=$((fail+1)); continue
  fi
  if ! "$cc" -static "$tmp/t.s" -o "$tmp/t" -lm 2>"$tmp/err"; then
    echo "FAIL $name: $cc: $(grep -m1 -i error "$tmp/err")"; fail=$((fail+1)); continue
  fi
  timeout "$limit" "$qemu" "$tmp/t" >"$tmp/out" 2>/dev/null
  status=$?
  "$keel" interp "$f" >"$tmp/interp" 2>/dev/null
  interp_status=$?
  if ! cmp -s "$tmp/out" "$dir/$name.out"; then
    echo "FAIL $name: stdout differs from $name.out"; fail=$((fail+1))
  elif [ "$status" != "$want_status" ]; then
    echo "FAIL $name: exit status $status, expected $want_status"; fail=$((fail+1))
  elif ! cmp -s "$tmp/out" "$tmp/interp" || [ "$status" != "$interp_status" ]; then
    echo "FAIL $name: differs from keel interp"; fail=$((fail+1))
  else
    pass=$((pass+1))
    [ $verbose = 1 ] && echo "$name"
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
