#!/usr/bin/env bash
# Builds cproc's compiler proper (cproc-qbe) from its IL compiled by `keel il`,
# then runs cproc's own test suite with it: a large end-to-end check of the
# x86-64 backend (every function of a real C compiler goes through keel).
#
# usage: scripts/cproc-with-keel.sh CPROC_SOURCE_DIR IL_DIR [KEEL_BINARY]
#   IL_DIR holds cproc's sources compiled to IL (NAME.ssa for each NAME.c);
#   a source without IL there is compiled by cc instead. Links with -no-pie,
#   as QBE's output needs (function addresses are taken with lea sym(%rip)).
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
cd "$cproc" && CCQBE="$tmp/cproc-qbe" ./runtests | tail -1
