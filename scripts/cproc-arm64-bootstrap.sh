#!/usr/bin/env bash
# cproc's compiler proper (cproc-qbe) built for arm64 by cproc + keel and run
# under qemu: its sources are preprocessed with the aarch64 cross headers,
# compiled to arm64 IL by the host's cproc-qbe (`-t aarch64`, stage 1),
# compiled by `keel il -t arm64`, linked with `aarch64-linux-gnu-gcc -static`;
# the stage-2 compiler (under qemu-aarch64) must then emit IL byte-identical
# to stage 1's for every source, and pass cproc's own test suite. A source
# that stage 1 cannot compile (eval.c: gcc's stddef.h) is compiled by the
# cross gcc instead.
#
# usage: scripts/cproc-arm64-bootstrap.sh CPROC_SOURCE_DIR [KEEL_BINARY]
#   CPROC_SOURCE_DIR must hold a built cproc (./configure && make).
set -uo pipefail
cproc=${1:?usage: $0 CPROC_SOURCE_DIR [KEEL_BINARY]}
keel=${2:-}
cd "$(dirname "$0")/.."
if [ -z "$keel" ]; then
  swift build --product keel >/dev/null || exit 1
  keel=$(swift build --show-bin-path)/keel
fi
cproc=$(cd "$cproc" && pwd)
cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# cproc's own preprocessing flags (config.h), with the cross compiler's headers.
cpp=("$cc" -E -U__GNUC__ -U__GNUC_MINOR__ -U__clang__ -D__STDC_NO_ATOMICS__ -D__STDC_NO_COMPLEX__
     -U__SIZEOF_INT128__ -U__PIC__ -D__extension__= -I"$cproc")
objs=() compiled=()
for n in attr decl eval expr init main map pp qbe scan scope stmt targ token tree type utf util; do
  "${cpp[@]}" "$cproc/$n.c" -o "$tmp/$n.i" || exit 1
  if "$cproc/cproc-qbe" -t aarch64 -o "$tmp/$n.stage1.ssa" "$tmp/$n.i" 2>/dev/null; then
    "$keel" il -t arm64 "$tmp/$n.stage1.ssa" -o "$tmp/$n.s" || { echo "keel il -t arm64 failed on $n"; exit 1; }
    objs+=("$tmp/$n.s")
    compiled+=("$n")
  else
    echo "$cc: $n.c (stage 1 cannot compile it)"
    "$cc" -c -I"$cproc" "$cproc/$n.c" -o "$tmp/$n.o" || exit 1
    objs+=("$tmp/$n.o")
  fi
done
"$cc" -static -o "$tmp/cproc-qbe" "${objs[@]}" || exit 1
same=0 differ=0
for n in "${compiled[@]}"; do
  qemu-aarch64 "$tmp/cproc-qbe" -t aarch64 -o "$tmp/$n.stage2.ssa" "$tmp/$n.i"
  if cmp -s "$tmp/$n.stage1.ssa" "$tmp/$n.stage2.ssa"; then same=$((same + 1)); else differ=$((differ + 1)); echo "stage-2 IL differs: $n"; fi
done
echo "stage-2 IL: $same identical, $differ different"
(cd "$cproc" && CCQBE="qemu-aarch64 $tmp/cproc-qbe" ./runtests | tail -1)
[ "$differ" -eq 0 ]
