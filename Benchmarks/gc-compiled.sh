#!/usr/bin/env bash
# Allocation speed of code compiled by keel: Benchmarks/gc/alloc_loop.ssa
# (10^8 short-lived 40-byte objects through the inline allocation path),
# linked with the runtime built -O2; CPU time per object and the runtime's
# statistics. usage: Benchmarks/gc-compiled.sh [path/to/keel]
set -euo pipefail
cd "$(dirname "$0")/.."
keel=${1:-.build/debug/keel}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$keel" il Benchmarks/gc/alloc_loop.ssa -o "$tmp/alloc_loop.s"
cc -std=c11 -O2 -I Sources/KeelRuntime/include "$tmp/alloc_loop.s" Sources/KeelRuntime/*.c -o "$tmp/alloc_loop"
start=$(date +%s%N)
KEEL_NURSERY=16M KEEL_GC_STATS=1 "$tmp/alloc_loop"
end=$(date +%s%N)
echo "wall: $(( (end - start) / 1000000 )) ms, $(( (end - start) / 100000000 )) ns per object"
