#!/usr/bin/env bash
# The runtime's allocation speed, minor-collection pauses (against survivors
# and against garbage) and peak RSS: Benchmarks/gc/alloc.c, built -O2 against
# Sources/KeelRuntime.  usage: Benchmarks/gc-runtime.sh [OBJECTS]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c11 -O2 -I Sources/KeelRuntime/include Benchmarks/gc/alloc.c Sources/KeelRuntime/*.c -o "$tmp/alloc"
KEEL_NURSERY=16M KEEL_GC_STATS=1 "$tmp/alloc" "${1:-100000000}"
