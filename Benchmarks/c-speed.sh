#!/usr/bin/env bash
# Run time of C programs compiled through cproc: cproc + keel against
# cproc + qbe on the same IL, with gcc -O2 and gcc -O0 builds of the same
# sources as yardsticks; then the compile time of that IL, keel against qbe.
#
# usage: Benchmarks/c-speed.sh CPROC_DIR QBE_BINARY [KEEL_BINARY]
#   CPROC_DIR   a built cproc source directory (holds ./cproc and ./cproc-qbe);
#               its driver preprocesses each program, cproc-qbe emits the IL
#   QBE_BINARY  a built qbe; if it is not there, the qbe column is skipped
#   KEEL_BINARY a built keel; without it keel is built here (release)
# Neither cproc nor qbe is built by this script.
#
# Programs: Benchmarks/c/*.c (each prints one checksum line). All builds must
# print the same output, else the script stops with a non-zero status.
#
# environment:
#   RUNS=3          timed runs of each build; the best is reported. Runs are
#                   interleaved (every build of every program, then again) so
#                   machine load falls on all builds alike
#   ONLY="a b"      time only these programs (names without .c)
#   KEEL_FLAGS=...  extra options for `keel il` (e.g. an optimization level)
#   KEEP=DIR        keep the IL, assembly and executables in DIR
#   WALL=1          measure wall-clock time instead of CPU time (user + sys
#                   of the child processes, the default: steadier when other
#                   jobs load the machine, the same on an idle one)
set -euo pipefail
usage="usage: $0 CPROC_DIR QBE_BINARY [KEEL_BINARY]"
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "$usage" >&2; exit 2; }
cproc_dir=$1
qbe=$2
keel=${3:-}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

[ -x "$cproc_dir/cproc" ] && [ -x "$cproc_dir/cproc-qbe" ] ||
  { echo "no built cproc in $cproc_dir (need ./cproc and ./cproc-qbe)" >&2; echo "$usage" >&2; exit 2; }
cproc_dir=$(cd "$cproc_dir" && pwd)
if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null
  keel=$(swift build -c release --show-bin-path)/keel
fi
[ -x "$keel" ] || { echo "keel binary not found: $keel" >&2; exit 2; }

builds=(keel)
if [ -x "$qbe" ]; then builds+=(qbe); else echo "skipping qbe: no executable at $qbe" >&2; qbe=; fi
if command -v gcc >/dev/null; then builds+=(gcc-O2 gcc-O0); else echo "skipping gcc -O2 / -O0: no gcc on PATH" >&2; fi
has() { local b; for b in "${builds[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

if [ -n "${ONLY:-}" ]; then
  progs=()
  for p in $ONLY; do
    [ -f "$here/c/$p.c" ] || { echo "no program Benchmarks/c/$p.c" >&2; exit 2; }
    progs+=("$p")
  done
else
  progs=()
  for f in "$here"/c/*.c; do progs+=("$(basename "$f" .c)"); done
fi

if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; tmp=$(cd "$KEEP" && pwd); else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
cc=${CC:-cc}
read -r -a keel_flags <<< "${KEEL_FLAGS:-}"

# --- build every program every way -----------------------------------------
for p in "${progs[@]}"; do
  src=$here/c/$p.c
  fail() { echo "FAIL: $p: $1" >&2; exit 1; }
  (cd "$cproc_dir" && ./cproc -E "$src") > "$tmp/$p.i" || fail "cproc -E"
  "$cproc_dir/cproc-qbe" "$tmp/$p.i" > "$tmp/$p.ssa" || fail "cproc-qbe"
  "$keel" il "${keel_flags[@]}" -o "$tmp/$p.keel.s" "$tmp/$p.ssa" || fail "keel il"
  "$cc" -no-pie -o "$tmp/$p.keel" "$tmp/$p.keel.s"   # QBE-style code takes absolute addresses
  if has qbe; then
    "$qbe" -o "$tmp/$p.qbe.s" "$tmp/$p.ssa" || fail "qbe"
    "$cc" -no-pie -o "$tmp/$p.qbe" "$tmp/$p.qbe.s"
  fi
  if has gcc-O2; then
    gcc -std=c99 -O2 -o "$tmp/$p.gcc-O2" "$src"
    gcc -std=c99 -O0 -o "$tmp/$p.gcc-O0" "$src"
  fi
done

# --- same output from every build -------------------------------------------
bad=0
for p in "${progs[@]}"; do
  ref=
  for b in "${builds[@]}"; do
    out=$("$tmp/$p.$b") || { echo "FAIL: $p built by $b exits with status $?" >&2; bad=1; continue; }
    if [ -z "$ref" ]; then ref=$out; refb=$b
    elif [ "$out" != "$ref" ]; then
      echo "MISMATCH: $p" >&2
      echo "  $refb: $ref" >&2
      echo "  $b: $out" >&2
      bad=1
    fi
  done
done
[ "$bad" -eq 0 ] || { echo "outputs differ: no timing" >&2; exit 1; }

# --- run times: best of RUNS, interleaved -----------------------------------
declare -A best
# elapsed microseconds of: "$@" >/dev/null (CPU time of the children by
# default, wall-clock time with WALL=1)
measure() {
  local TIMEFORMAT='%3U %3S' t0 t1 u s
  if [ "${WALL:-0}" = 1 ]; then
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null
    t1=${EPOCHREALTIME/./}
    echo $((10#$t1 - 10#$t0))
  else
    read -r u s < <({ time "$@" >/dev/null 2>/dev/null; } 2>&1)
    u=${u/./}; s=${s/./}
    echo $(((10#$u + 10#$s) * 1000))
  fi
}
if [ "${WALL:-0}" = 1 ]; then what="wall-clock time"; else what="CPU time: user + sys"; fi
for _ in $(seq "$runs"); do
  for p in "${progs[@]}"; do
    for b in "${builds[@]}"; do
      us=$(measure "$tmp/$p.$b")
      if [ -z "${best[$p.$b]:-}" ] || [ "$us" -lt "${best[$p.$b]}" ]; then best[$p.$b]=$us; fi
    done
  done
done

{
  printf '%s' "program"
  for b in "${builds[@]}"; do printf ' %s' "$b"; done
  has qbe && printf ' %s' "keel/qbe"
  has gcc-O2 && printf ' %s' "keel/gcc-O2"
  printf '\n'
  for p in "${progs[@]}"; do
    printf '%s' "$p"
    for b in "${builds[@]}"; do printf ' %s' "${best[$p.$b]}"; done
    has qbe && printf ' r%s/%s' "${best[$p.keel]}" "${best[$p.qbe]}"
    has gcc-O2 && printf ' r%s/%s' "${best[$p.keel]}" "${best[$p.gcc-O2]}"
    printf '\n'
  done
} | awk -v runs="$runs" -v what="$what" '
  NR == 1 {
    printf "run time in seconds (%s), best of %d interleaved runs\n", what, runs
    printf "%-10s", $1; for (i = 2; i <= NF; i++) printf " %11s", $i; printf "\n"
    ncol = NF; for (i = 2; i <= NF; i++) name[i] = $i
    next
  }
  {
    printf "%-10s", $1
    for (i = 2; i <= NF; i++) {
      if ($i ~ /^r/) {
        split(substr($i, 2), q, "/"); r = q[1] / q[2]
        printf " %10.2fx", r; lsum[i] += log(r); n[i]++
        if (name[i] == "keel/qbe" && r > 1) slower++
      } else { printf " %11.3f", $i / 1e6; t[name[i]] = $i }
    }
    printf "\n"; rows++
    if ("gcc-O0" in t && t["keel"] > t["gcc-O0"]) slower_o0++
  }
  END {
    for (i = 2; i <= ncol; i++) if (n[i]) printf "geometric mean %-11s %.3f\n", name[i] ":", exp(lsum[i] / n[i])
    for (i = 2; i <= ncol; i++) if (name[i] == "keel/qbe") printf "keel slower than qbe on %d of %d programs\n", slower, rows
    for (i = 2; i <= ncol; i++) if (name[i] == "gcc-O0") printf "keel slower than gcc -O0 on %d of %d programs\n", slower_o0, rows
  }'

# --- compile time of the IL: one process per file ---------------------------
if has qbe; then
  files=()
  for p in "${progs[@]}"; do files+=("$tmp/$p.ssa"); done
  lines=$(cat "${files[@]}" | wc -l)
  compile_qbe() { local f; for f in "${files[@]}"; do "$qbe" -o "$tmp/out.s" "$f"; done; }
  compile_keel() { local f; for f in "${files[@]}"; do "$keel" il "${keel_flags[@]}" -o "$tmp/out.s" "$f"; done; }
  bk=; bq=
  for _ in $(seq "$runs"); do
    q=$(measure compile_qbe); k=$(measure compile_keel)
    if [ -z "$bq" ] || [ "$q" -lt "$bq" ]; then bq=$q; fi
    if [ -z "$bk" ] || [ "$k" -lt "$bk" ]; then bk=$k; fi
  done
  awk -v q="$bq" -v k="$bk" -v n="${#files[@]}" -v l="$lines" -v runs="$runs" -v what="$what" 'BEGIN {
    printf "compile time of the IL (%d files, %d lines, one process per file, %s, best of %d):\n", n, l, what, runs
    printf "  qbe  %8.1f ms\n  keel %8.1f ms   keel/qbe %.2fx\n", q / 1000, k / 1000, k / q
  }'
fi
