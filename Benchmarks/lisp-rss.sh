#!/usr/bin/env bash
# Peak RSS of a KeelLisp tail loop that allocates a fresh map every
# iteration (Benchmarks/lisp-rss/tail_map.clj), at 10^6 and 10^7 iterations:
# the collector must keep the heap flat, so the two peaks may differ by less
# than 1 MiB (issue 9). Exits 1 when they differ by more.
#
# usage: Benchmarks/lisp-rss.sh KEEL_BINARY    (a release build of keel)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 KEEL_BINARY" >&2; exit 2; }
keel=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$keel" build "$here/lisp-rss/tail_map.clj" -o "$work/tail_map"
peak() { /usr/bin/time -f %M "$work/tail_map" "$1" 2>&1 >/dev/null | tail -1; }
small=$(peak 1000000)
large=$(peak 10000000)
diff=$(( large > small ? large - small : small - large ))
printf 'peak RSS: %d KB at 10^6 iterations, %d KB at 10^7; difference %d KB (limit 1024)\n' "$small" "$large" "$diff"
[ "$diff" -lt 1024 ]
