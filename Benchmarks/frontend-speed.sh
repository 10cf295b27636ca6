#!/usr/bin/env bash
# Front-end speed: Keel's parse + SSA construction + verify of IL files,
# against QBE's whole compile (IL to assembly) of the same files, side by side.
#
# usage: Benchmarks/frontend-speed.sh QBE_BINARY [IL_FILE...]
#   Each file is processed separately (as a C compiler driver would), and the
#   times are summed over the files. With no file, a generated program of about
#   33,000 lines is used (Benchmarks/generate-il.py). Build QBE with optimization
#   (make CFLAGS=-O2) for a fair reference. RUNS (default 11) sets the repetitions;
#   the median of the per-run sums is reported.
#
# Reported: wall time of whole processes for both tools; Keel's in-process time
# for its phases (`keel check --stats`, which excludes process start-up); with
# COUNT=1, also instruction counts under valgrind (repeatable on a loaded machine),
# with Keel's start-up measured as `keel check` of an empty file.
set -euo pipefail
cd "$(dirname "$0")/.."
qbe=${1:?usage: $0 QBE_BINARY [IL_FILE...]}
shift
runs=${RUNS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
  python3 Benchmarks/generate-il.py > "$tmp/generated.ssa"
  set -- "$tmp/generated.ssa"
fi
lines=$(cat "$@" | wc -l)

swift build -c release --product keel >/dev/null
keel=$(swift build -c release --show-bin-path)/keel

for f in "$@"; do                                  # both must accept every input
  "$qbe" -o "$tmp/out.s" "$f"
  "$keel" check "$f"
done

now() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for _ in $(seq "$runs"); do
  s=$(now); for f in "$@"; do "$qbe" -o "$tmp/out.s" "$f"; done; e=$(now)
  awk -v s="$s" -v e="$e" 'BEGIN {printf "%.6f\n", (e - s) / 1e9}'
done | median > "$tmp/qbe"
for _ in $(seq "$runs"); do
  s=$(now); for f in "$@"; do "$keel" check "$f"; done; e=$(now)
  awk -v s="$s" -v e="$e" 'BEGIN {printf "%.6f\n", (e - s) / 1e9}'
done | median > "$tmp/keel"
for _ in $(seq "$runs"); do
  for f in "$@"; do "$keel" check --stats "$f" 2>&1; done | awk '/^total/ {ms += $2} END {printf "%.6f\n", ms / 1000}'
done | median > "$tmp/inproc"

q=$(cat "$tmp/qbe"); k=$(cat "$tmp/keel"); i=$(cat "$tmp/inproc")
echo "input: $# file(s), $lines lines"
awk -v q="$q" -v k="$k" -v i="$i" -v n="$lines" 'BEGIN {
  printf "qbe whole compile (processes):  %.4f s\n", q
  printf "keel check (processes):         %.4f s   ratio %.3f\n", k, k / q
  printf "keel check (in-process phases): %.4f s   ratio %.3f   %.0f lines/s\n", i, i / q, n / i
}'

if [ "${COUNT:-0}" = 1 ] && command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ {gsub(",", "", $4); print $4}'; }
  # Start-up: checking an empty file (process start, runtime set-up, nothing to parse).
  : > "$tmp/empty.ssa"
  qi=0; ki=0; hi=$(count "$keel" check "$tmp/empty.ssa")
  for f in "$@"; do
    qi=$((qi + $(count "$qbe" -o "$tmp/out.s" "$f")))
    ki=$((ki + $(count "$keel" check "$f")))
  done
  n=$#
  awk -v q="$qi" -v k="$ki" -v h="$hi" -v n="$n" 'BEGIN {
    printf "instructions: qbe %d, keel %d (ratio %.3f); keel less start-up (%d each): ratio %.3f\n", q, k, k / q, h, (k - n * h) / q
  }'
  echo "instructions: keel --help $(count "$keel" --help)"
fi
