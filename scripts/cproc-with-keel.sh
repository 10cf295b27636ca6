#!/usr/bin/env bash
# Builds cproc's compiler proper (cproc-qbe) from its IL compiled by `keel il`,
# then checks it two ways: the stage-2 compiler must emit IL byte-identical to
# the stage-1 compiler's (cproc-qbe built by cc) for every source with IL, and
# it must pass cproc's own test suite. A large end-to-end check of the x86-64
# backend: every function of a real C compiler goes through keel.
#
# usage: scripts/cproc-with-keel.sh CPROC_SOURCE_DIR IL_DIR [KEEL_BINARY]
#   IL_DIR holds cproc's sources compiled to IL (NAME.ssa for each NAME.c);
#   a source without IL there is compiled by cc instead. Links with -no-pie,
#   as QBE's output needs (function addresses are taken with lea sym(%rip)).
#   CPROC_SOURCE_DIR must hold a built cproc (./configure && make): its driver
#   preprocesses the sources and its cproc-qbe is the stage-1 compiler.
set -euo pipefail
cproc=${1:?usage: $0 CPROC_SOURCE_DIR IL_DIR [KEEL_BINARY]}
il=${2:?usage: $0 CPROC_SOURCE_DIR IL_DIR [KEEL_BINARY]}
keel=${3:-}
cd "$(dirname "$0")/.."
if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null
  keel=$(swift build -c release --show-bin-path)/keel
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objs=()
for n in attr decl eval expr init main map pp qbe scan scope stmt targ token tree type utf util; do
  if [ -f "$il/$n.ssa" ]; then
    "$keel" il "$il/$n.ssa" -o "$tmp/$n.s"
    objs+=("$tmp/$n.s")
  else
    echo "cc: $n.c (no IL)"
    cc -c -I"$cproc" "$cproc/$n.c" -o "$tmp/$n.o"
    objs+=("$tmp/$n.o")
  fi
done
cc -no-pie -o "$tmp/cproc-qbe" "${objs[@]}"
same=0 differ=0
for f in "$il"/*.ssa; do
  n=$(basename "$f" .ssa)
  [ -f "$cproc/$n.c" ] || continue
  (cd "$cproc" && ./cproc -E -I. "$n.c") > "$tmp/$n.i"
  "$cproc/cproc-qbe" "$tmp/$n.i" > "$tmp/$n.stage1.ssa"
  "$tmp/cproc-qbe" "$tmp/$n.i" > "$tmp/$n.stage2.ssa"
  if cmp -s "$tmp/$n.stage1.ssa" "$tmp/$n.stage2.ssa"; then same=$((same + 1)); else differ=$((differ + 1)); echo "stage-2 IL differs: $n"; fi
done
echo "stage-2 IL: $same identical, $differ different"
cd "$cproc" && CCQBE="$tmp/cproc-qbe" ./runtests | tail -1
[ "$differ" -eq 0 ]
