#!/usr/bin/env bash
# Compiles every IL test program to a native executable and checks it.
#
# For each Tests/Programs/il/NAME.ssa: `keel il NAME.ssa -o t.s`, `cc t.s -o t -lm`,
# run ./t with a timeout; its stdout and exit status must equal NAME.out and
# NAME.exit (0 when absent) AND what `keel interp NAME.ssa` prints and returns.
# Prints one line (plus a few lines of detail) per failure, then `N passed, M failed`.
# Exits non-zero when anything failed. A missing or failing `keel il` is a failure
# of that program, with keel's error shown.
#
# usage: scripts/native-il-tests.sh [KEEL_BINARY] [NAME...]
#   KEEL_BINARY defaults to a debug build of this package (built first).
#   NAMEs restrict the run to those programs (without .ssa).
#   Environment: CC (default cc), NATIVE_TIMEOUT seconds per run (default 10).
set -uo pipefail
cd "$(dirname "$0")/.."
keel=${1:-}
shift $(( $# > 0 ? 1 : 0 ))
if [ -z "$keel" ]; then
  swift build --product keel >/dev/null || exit 1
  keel=$(swift build --show-bin-path)/keel
fi
cc=${CC:-cc}
limit=${NATIVE_TIMEOUT:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then
  files=(); for n in "$@"; do files+=("Tests/Programs/il/$n.ssa"); done
else
  files=(Tests/Programs/il/*.ssa)
fi

pass=0 fail=0
show() { sed 's/^/    /' "$1" | head -"${2:-5}"; }
for f in "${files[@]}"; do
  name=$(basename "$f" .ssa)
  dir=$(dirname "$f")
  want_status=0
  [ -f "$dir/$name.exit" ] && want_status=$(tr -d '[:space:]' < "$dir/$name.exit")
  rm -f "$tmp/t.s" "$tmp/t"

  if ! "$keel" il "$f" -o "$tmp/t.s" > "$tmp/err" 2>&1; then
    echo "FAIL $name: keel il failed"; show "$tmp/err"; fail=$((fail + 1)); continue
  fi
  if ! "$cc" "$tmp/t.s" -o "$tmp/t" -lm > "$tmp/err" 2>&1; then
    echo "FAIL $name: $cc could not assemble/link"; show "$tmp/err"; fail=$((fail + 1)); continue
  fi
  timeout "$limit" "$tmp/t" > "$tmp/native.out" 2> "$tmp/native.err" < /dev/null
  status=$?
  timeout "$limit" "$keel" interp "$f" > "$tmp/interp.out" 2> "$tmp/interp.err" < /dev/null
  interp_status=$?

  problems=()
  hint=""
  [ "$status" -eq 124 ] && hint=" (timed out after ${limit}s)"
  [ "$status" -gt 128 ] && hint=" (signal $((status - 128))?)"
  if [ -f "$dir/$name.out" ] && ! cmp -s "$tmp/native.out" "$dir/$name.out"; then
    problems+=("stdout differs from $name.out")
  fi
  [ "$status" != "$want_status" ] && problems+=("exit status $status$hint, expected $want_status")
  if ! cmp -s "$tmp/native.out" "$tmp/interp.out"; then
    problems+=("stdout differs from keel interp")
  fi
  [ "$status" != "$interp_status" ] && problems+=("exit status $status$hint, keel interp gives $interp_status")

  if [ ${#problems[@]} -gt 0 ]; then
    msg=$(printf '%s; ' "${problems[@]}")
    echo "FAIL $name: ${msg%; }"
    if [ -f "$dir/$name.out" ] && ! cmp -s "$tmp/native.out" "$dir/$name.out"; then
      diff "$dir/$name.out" "$tmp/native.out" > "$tmp/diff"; show "$tmp/diff" 6
    fi
    [ -s "$tmp/native.err" ] && show "$tmp/native.err" 3
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
