#!/usr/bin/env bash
# Runs QBE's own end-to-end test suite with keel standing in for qbe.
#
# QBE's tools/test.sh compiles each test/*.ssa with `$bin -o FILE.s FILE.ssa`,
# links it (with the C driver embedded in the test, if any) and checks its
# output or exit status. Here `bin` is a symlink named `qbe` to keel, so keel
# sees itself called as qbe. test.sh is run once per test file (its "SSAFILE"
# mode), straight from the QBE checkout: nothing of QBE is copied.
# Prints one line (plus a few lines of detail) per failure, then `N passed, M failed`;
# tests whose first line skips the target count as neither. Exits non-zero on failure.
#
# usage: scripts/qbe-suite.sh QBE_SOURCE_DIR [KEEL_BINARY] [TEST_NAME...]
#   KEEL_BINARY defaults to a debug build of this package (built first).
#   TEST_NAMEs (e.g. abi1 or abi1.ssa) restrict the run to those tests.
#   Environment: CC (test.sh's C compiler, default cc), QBE_TEST_TIMEOUT seconds per test (default 60).
# test.sh writes its scratch files to the fixed path /tmp/qbe.zzzz.*: do not run
# two copies of this script (or of QBE's `make check`) at the same time.
set -uo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_SOURCE_DIR [KEEL_BINARY] [TEST_NAME...]}
keel=${2:-}
shift $(( $# >= 2 ? 2 : 1 ))
[ -f "$qbe/tools/test.sh" ] || { echo "$qbe/tools/test.sh not found" >&2; exit 2; }
qbe=$(cd "$qbe" && pwd)
if [ -z "$keel" ]; then
  swift build --product keel >/dev/null || exit 1
  keel=$(swift build --show-bin-path)/keel
fi
keel=$(cd "$(dirname "$keel")" && pwd)/$(basename "$keel")
[ -x "$keel" ] || { echo "$keel is not an executable" >&2; exit 2; }
limit=${QBE_TEST_TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ln -s "$keel" "$tmp/qbe"

if [ $# -gt 0 ]; then
  tests=(); for n in "$@"; do tests+=("$qbe/test/${n%.ssa}.ssa"); done
else
  tests=("$qbe"/test/[!_]*.ssa)
fi

pass=0 fail=0 skip=0
for t in "${tests[@]}"; do
  name=$(basename "$t" .ssa)
  bin="$tmp/qbe" timeout "$limit" sh "$qbe/tools/test.sh" "$t" > "$tmp/log" 2>&1
  status=$?
  # test.sh prints cc/qemu lines first, then "NAME.ssa...  [verdict]"; a skipped test prints no verdict.
  if [ "$status" -eq 0 ] && grep -q '\[ok\]' "$tmp/log"; then
    pass=$((pass + 1))
  elif [ "$status" -eq 0 ] && ! grep -q "$name.ssa\.\.\." "$tmp/log"; then
    skip=$((skip + 1))
  else
    verdict=$(grep -o '\[[^]]*fail\]' "$tmp/log" | tail -1)
    [ "$status" -eq 124 ] && verdict="[timed out after ${limit}s]"
    echo "FAIL $name ${verdict:-[exit status $status]}"
    grep -v -e '^cc: ' -e '^qemu: ' -e '^$' -e '^\[[^]]*\]$' -e "$name.ssa\.\.\." "$tmp/log" | head -6 | sed 's/^/    /'
    fail=$((fail + 1))
  fi
done
[ "$skip" -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
