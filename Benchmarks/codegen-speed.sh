#!/usr/bin/env bash
# Code generation speed: `keel il` against `qbe` on the same IL files, each file
# compiled by its own process (as a C compiler driver does), times summed.
#
# usage: Benchmarks/codegen-speed.sh QBE_BINARY IL_FILE...
#   e.g. Benchmarks/codegen-speed.sh /work/qbe/qbe /work/bench/*.ssa
#   RUNS (default 5) repetitions, run alternately (qbe, keel, qbe, keel, ...) so
#   both see the same machine load; the best sum is reported for each tool, plus
#   Keel's in-process phase times (`keel il --stats`, no process start-up).
#   KEEL=PATH uses that keel binary instead of building one.
#   COUNT=1 also counts instructions under valgrind (callgrind): repeatable on a
#   loaded machine, where wall times are not. PROFILE=DIR keeps one callgrind
#   profile per file in DIR (for callgrind_annotate).
set -euo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_BINARY IL_FILE...}
shift
[ $# -gt 0 ] || { echo "usage: $0 QBE_BINARY IL_FILE..." >&2; exit 2; }
runs=${RUNS:-5}
if [ -n "${KEEL:-}" ]; then
  keel=$KEEL
else
  swift build -c release --product keel >/dev/null
  keel=$(swift build -c release --show-bin-path)/keel
fi
lines=$(cat "$@" | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$@"; do                     # both must compile every input
  "$qbe" -o "$tmp/q.s" "$f"
  "$keel" il -o "$tmp/k.s" "$f"
done

sum_ms() {  # wall time in ms of: for f in files; do CMD -o out f; done
  local t0 t1
  t0=$(date +%s%N)
  for f in "${@:2}"; do $1 -o "$tmp/out.s" "$f"; done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
bq=; bk=
for _ in $(seq "$runs"); do
  q=$(sum_ms "$qbe" "$@"); k=$(sum_ms "$keel il" "$@")
  if [ -z "$bq" ] || [ "$q" -lt "$bq" ]; then bq=$q; fi
  if [ -z "$bk" ] || [ "$k" -lt "$bk" ]; then bk=$k; fi
done
echo "$lines lines in $# files, best of $runs (alternating runs)"
echo "qbe:      $bq ms"
echo "keel il:  $bk ms   ratio $(awk -v k="$bk" -v q="$bq" 'BEGIN { printf "%.3f", k / q }')"
for f in "$@"; do "$keel" il --stats -o "$tmp/out.s" "$f" 2>&1; done |
  awk '$1 != "total" { t[$1] += $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
       END { for (i = 1; i <= n; i++) printf "  keel in-process %-8s %8.1f ms\n", order[i], t[order[i]] }'

if [ "${COUNT:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "COUNT=1 needs valgrind" >&2; exit 2; }
  out=/dev/null
  count() {  # instructions executed by the command (callgrind's I refs)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $4); print $4 }'
  }
  qi=0; ki=0
  [ -n "${PROFILE:-}" ] && mkdir -p "$PROFILE"
  for f in "$@"; do
    out=/dev/null
    qi=$((qi + $(count "$qbe" -o "$tmp/out.s" "$f")))
    if [ -n "${PROFILE:-}" ]; then out=$PROFILE/callgrind.$(basename "$f" .ssa); fi
    ki=$((ki + $(count "$keel" il -o "$tmp/out.s" "$f")))
  done
  : > "$tmp/empty.ssa"
  out=/dev/null
  start=$(count "$keel" il -o "$tmp/out.s" "$tmp/empty.ssa")
  awk -v q="$qi" -v k="$ki" -v s="$start" -v n="$#" 'BEGIN {
    printf "instructions: qbe %d, keel %d, ratio %.3f (keel start-up on an empty file: %d per process)\n", q, k, k / q, s
  }'
fi
