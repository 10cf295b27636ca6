#!/usr/bin/env bash
# Code generation speed: `keel il` against `qbe` on the same IL files, each file
# compiled by its own process (as a C compiler driver does), times summed.
#
# usage: Benchmarks/codegen-speed.sh QBE_BINARY IL_FILE... 
#   RUNS (default 5) repetitions; the best sum is reported for each tool, plus
#   Keel's in-process phase times (`keel il --stats`, no process start-up).
set -euo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_BINARY IL_FILE...}
shift
runs=${RUNS:-5}
swift build -c release --product keel >/dev/null
keel=$(swift build -c release --show-bin-path)/keel
lines=$(cat "$@" | wc -l)

best() {  # best wall time in ms of: for f in files; do CMD f; done
  local best=
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    for f in "${@:2}"; do $1 "$f" > /dev/null; done
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
echo "$lines lines in $# files, best of $runs"
echo "qbe:      $(best "$qbe" "$@") ms"
echo "keel il:  $(best "$keel il" "$@") ms"
for f in "$@"; do "$keel" il --stats "$f" 2>&1 > /dev/null; done |
  awk '{ t[$1] += $2 } END { for (k in t) printf "  keel in-process %-8s %8.1f ms\n", k, t[k] }'
