#!/usr/bin/env bash
# Code compiled by keel against the runtime (built -O2), with the runtime's
# statistics: Benchmarks/gc/alloc_loop.ssa (10^8 short-lived 40-byte objects
# through the inline allocation path) and Benchmarks/gc/binary_trees.ssa
# (depth 18). usage: Benchmarks/gc-compiled.sh [path/to/keel]
set -euo pipefail
cd "$(dirname "$0")/.."
keel=${1:-.build/debug/keel}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in alloc_loop binary_trees; do
    "$keel" il "Benchmarks/gc/$p.ssa" -o "$tmp/$p.s"
    cc -std=c11 -O2 -I Sources/KeelRuntime/include "$tmp/$p.s" Sources/KeelRuntime/*.c -o "$tmp/$p"
done
for nursery in 1M 16M; do
    echo "== alloc_loop, nursery $nursery"
    start=$(date +%s%N)
    KEEL_NURSERY=$nursery KEEL_GC_STATS=1 "$tmp/alloc_loop"
    end=$(date +%s%N)
    echo "wall: $(( (end - start) / 1000000 )) ms, $(( (end - start) / 100000000 )).$(( (end - start) / 10000000 % 10 )) ns per object"
    echo "== binary_trees, nursery $nursery"
    /usr/bin/time -f "%e s wall, %U s user, peak RSS %M KB" env KEEL_NURSERY=$nursery KEEL_GC_STATS=1 "$tmp/binary_trees"
done
