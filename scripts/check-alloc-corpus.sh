#!/usr/bin/env bash
# Runs `keel il --check-alloc` (the allocation checker on every function) over
# IL files: QBE's test/*.ssa, plus any further files or directories given.
# Prints each file whose compilation fails (with keel's first error lines),
# then `N files checked, M failed`; exits non-zero when any failed.
#
# usage: scripts/check-alloc-corpus.sh QBE_DIR [KEEL_BINARY] [FILE_OR_DIR...]
#   KEEL_BINARY defaults to a release build of this package (built first).
#   Example: scripts/check-alloc-corpus.sh /work/qbe "" /work/bench
#   Environment: KEEL_TARGET, a target for `-t` (default: keel's default target).
set -uo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_DIR [KEEL_BINARY] [FILE_OR_DIR...]}
keel=${2:-}
shift $(( $# > 1 ? 2 : 1 ))
if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null || exit 1
  keel=$(swift build -c release --show-bin-path)/keel
fi
files=("$qbe"/test/*.ssa)
for x in "$@"; do
  if [ -d "$x" ]; then files+=("$x"/*.ssa); else files+=("$x"); fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  if ! "$keel" il ${KEEL_TARGET:+-t "$KEEL_TARGET"} --check-alloc "$f" -o "$tmp/out.s" 2>"$tmp/err"; then
    bad=$((bad + 1))
    echo "FAIL $f"
    sed 's/^/    /' "$tmp/err" | head -5
  fi
done
echo "$n files checked, $bad failed"
[ "$bad" -eq 0 ]
