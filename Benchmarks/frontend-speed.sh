#!/usr/bin/env bash
# Front-end speed: Keel's parse + SSA construction + verify of IL files, against
# QBE's whole compile (IL to assembly) of the same files, measured side by side.
#
# usage: Benchmarks/frontend-speed.sh QBE_BINARY [IL_FILE...]
#   With no IL file, a generated program of about 33,000 lines is used
#   (Benchmarks/generate-il.py). Build QBE with optimization (CFLAGS=-O2) for a fair reference.
#
# Prints the median over RUNS (default 11) of whole-process wall time for both,
# Keel's in-process time for its phases (keel check --stats), and the ratios.
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
cat "$@" > "$tmp/input.ssa"
lines=$(wc -l < "$tmp/input.ssa")

swift build -c release --product keel >/dev/null
keel=$(swift build -c release --show-bin-path)/keel

"$qbe" -o "$tmp/out.s" "$tmp/input.ssa"          # fails loudly if QBE rejects the input
"$keel" check "$tmp/input.ssa"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() {  # prints seconds of one run of "$@"
  local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
  awk -v s="$s" -v e="$e" 'BEGIN {printf "%.6f\n", (e - s) / 1e9}'
}
for _ in $(seq "$runs"); do wall "$qbe" -o "$tmp/out.s" "$tmp/input.ssa"; done | median > "$tmp/qbe"
for _ in $(seq "$runs"); do wall "$keel" check "$tmp/input.ssa"; done | median > "$tmp/keel"
for _ in $(seq "$runs"); do
  "$keel" check --stats "$tmp/input.ssa" 2>&1 | awk '/^total/ {print $2 / 1000}'
done | median > "$tmp/inproc"

q=$(cat "$tmp/qbe"); k=$(cat "$tmp/keel"); i=$(cat "$tmp/inproc")
echo "input:                      $lines lines"
echo "qbe whole compile:          ${q} s"
awk -v q="$q" -v k="$k" -v i="$i" -v n="$lines" 'BEGIN {
  printf "keel check (process):       %s s   ratio %.3f\n", k, k / q
  printf "keel check (in-process):    %s s   ratio %.3f   %.0f lines/s\n", i, i / q, n / i
}'
