#!/usr/bin/env bash
# KeelLisp against Clojure, Chez Scheme and SBCL on the same programs
# (Benchmarks/lisp/): run time and peak RSS, in one run.
#
# usage: Benchmarks/lisp.sh [KEEL_BINARY]
#   KEEL_BINARY a built keel (e.g. .build-lispbench-rel/release/keel); without
#               it keel is built here (release)
# Nothing is installed: a peer that is not on PATH (clojure, scheme, sbcl) is
# skipped with a note.
#
# Each program NAME has NAME.clj (KeelLisp, and the Clojure peer unless a
# NAME.jvm.clj exists), NAME.ss (Chez Scheme) and NAME.lisp (SBCL). Every
# implementation must print the same output, else the script stops with a
# non-zero status before timing anything.
#
# What is timed: the KeelLisp executable (`keel build`, outside the timing);
# Chez's `compile-script` output and SBCL's `compile-file` fasl, each compiled
# beforehand, run by `scheme --script` / `sbcl --script`; Clojure as a script
# (`clojure -i NAME.clj -e '(-main)'`), so its time includes JVM start-up and
# compiling the program, which is how Clojure programs are run.
#
# environment:
#   RUNS=3          timed runs of each; the best is reported. Runs are
#                   interleaved (every implementation of every program, then
#                   again) so machine load falls on all alike
#   ONLY="a b"      only these programs
#   CPU=1           report CPU time (user + sys) instead of wall-clock time
#                   (steadier on a loaded machine; the JVM's compiler and
#                   collector threads count against Clojure)
#   KEEP=DIR        keep executables, compiled peers and outputs in DIR
set -euo pipefail
usage="usage: $0 [KEEL_BINARY]"
[ $# -le 1 ] || { echo "$usage" >&2; exit 2; }
keel=${1:-}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null
  keel=$(swift build -c release --show-bin-path)/keel
fi
[ -x "$keel" ] || { echo "keel binary not found: $keel" >&2; echo "$usage" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (for peak RSS)" >&2; exit 2; }

impls=(keellisp)
command -v clojure >/dev/null && impls+=(clojure) || echo "skipping Clojure: no clojure on PATH" >&2
command -v scheme >/dev/null && impls+=(chez) || echo "skipping Chez Scheme: no scheme on PATH" >&2
command -v sbcl >/dev/null && impls+=(sbcl) || echo "skipping SBCL: no sbcl on PATH" >&2
has() { local i; for i in "${impls[@]}"; do [ "$i" = "$1" ] && return 0; done; return 1; }

progs=()
if [ -n "${ONLY:-}" ]; then
  for p in $ONLY; do
    [ -f "$here/lisp/$p.clj" ] || { echo "no program Benchmarks/lisp/$p.clj" >&2; exit 2; }
    progs+=("$p")
  done
else
  for f in "$here"/lisp/*.clj; do
    case $f in *.jvm.clj) continue ;; esac
    progs+=("$(basename "$f" .clj)")
  done
fi

if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; tmp=$(cd "$KEEP" && pwd); else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi

# --- build / compile everything (not timed) ----------------------------------
for p in "${progs[@]}"; do
  src=$here/lisp/$p
  fail() { echo "FAIL: $p: $1" >&2; exit 1; }
  "$keel" build "$src.clj" -o "$tmp/$p.keellisp" || fail "keel build"
  if has chez; then
    [ -f "$src.ss" ] || fail "no $p.ss"
    cp "$src.ss" "$tmp/$p.ss"
    (cd "$tmp" && echo "(compile-script \"$p.ss\" \"$p.so\")" | scheme -q >/dev/null) || fail "Chez compile-script"
  fi
  if has sbcl; then
    [ -f "$src.lisp" ] || fail "no $p.lisp"
    sbcl --non-interactive --no-sysinit --no-userinit \
      --eval "(unless (compile-file \"$src.lisp\" :output-file \"$tmp/$p.fasl\") (sb-ext:exit :code 1))" \
      >"$tmp/$p.sbcl-compile.log" 2>&1 || { cat "$tmp/$p.sbcl-compile.log" >&2; fail "SBCL compile-file"; }
  fi
done

# The command line that runs implementation $2 of program $1.
command_of() {
  local p=$1 src=$here/lisp/$1
  case $2 in
    keellisp) echo "$tmp/$p.keellisp" ;;
    clojure) if [ -f "$src.jvm.clj" ]; then echo "clojure -i $src.jvm.clj -e (-main)"; else echo "clojure -i $src.clj -e (-main)"; fi ;;
    chez) echo "scheme --script $tmp/$p.so" ;;
    sbcl) echo "sbcl --script $tmp/$p.fasl" ;;
  esac
}

# --- same output from every implementation -----------------------------------
bad=0
for p in "${progs[@]}"; do
  ref=
  for i in "${impls[@]}"; do
    read -r -a cmd <<< "$(command_of "$p" "$i")"
    out=$("${cmd[@]}" 2>"$tmp/$p.$i.err") || { echo "FAIL: $p ($i) exits with status $?" >&2; cat "$tmp/$p.$i.err" >&2; bad=1; continue; }
    printf '%s\n' "$out" > "$tmp/$p.$i.out"
    if [ -z "$ref" ]; then ref=$out; refi=$i
    elif [ "$out" != "$ref" ]; then
      echo "MISMATCH: $p" >&2
      echo "  $refi: $ref" >&2
      echo "  $i: $out" >&2
      bad=1
    fi
  done
done
[ "$bad" -eq 0 ] || { echo "outputs differ: no timing" >&2; exit 1; }

# --- run time and peak RSS: best of RUNS, interleaved -------------------------
declare -A best rss
for _ in $(seq "$runs"); do
  for p in "${progs[@]}"; do
    for i in "${impls[@]}"; do
      read -r -a cmd <<< "$(command_of "$p" "$i")"
      # bash's time for milliseconds (GNU time reports hundredths), GNU
      # time inside it for the peak RSS
      read -r wall user sys < <({ TIMEFORMAT='%3R %3U %3S'; time /usr/bin/time -f '%M' -o "$tmp/rss" "${cmd[@]}" >/dev/null 2>&1; } 2>&1)
      kb=$(tail -n 1 "$tmp/rss")
      if [ "${CPU:-0}" = 1 ]; then t=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }'); else t=$wall; fi
      if [ -z "${best[$p.$i]:-}" ] || awk -v a="$t" -v b="${best[$p.$i]}" 'BEGIN { exit !(a < b) }'; then best[$p.$i]=$t; fi
      if [ -z "${rss[$p.$i]:-}" ] || [ "$kb" -gt "${rss[$p.$i]}" ]; then rss[$p.$i]=$kb; fi
    done
  done
done

if [ "${CPU:-0}" = 1 ]; then what="CPU time (user + sys)"; else what="wall-clock time"; fi
{
  printf 'program'
  for i in "${impls[@]}"; do printf ' %s' "$i"; done
  printf '\n'
  for p in "${progs[@]}"; do
    printf '%s' "$p"
    for i in "${impls[@]}"; do printf ' %s/%s' "${best[$p.$i]}" "${rss[$p.$i]}"; done
    printf '\n'
  done
} | awk -v runs="$runs" -v what="$what" '
  function mib(kb) { return sprintf("%.0fM", kb / 1024) }
  NR == 1 {
    printf "run time in seconds (%s, best of %d interleaved runs) and peak RSS (MiB, largest)\n", what, runs
    printf "%-13s", $1
    for (i = 2; i <= NF; i++) { name[i] = $i; printf " %15s", $i }
    ncol = NF
    printf " %13s %19s\n", "keel/clojure", "keel/min(chez,sbcl)"
    next
  }
  {
    printf "%-13s", $1
    delete t
    for (i = 2; i <= ncol; i++) {
      split($i, q, "/"); t[name[i]] = q[1]
      printf " %8.3fs %5s", q[1], mib(q[2])
    }
    k = t["keellisp"]
    if ("clojure" in t && t["clojure"] > 0) { r = k / t["clojure"]; printf " %12.2fx", r; if (r >= 1) slowc++ } else printf " %13s", "-"
    m = ""
    if ("chez" in t) m = t["chez"]
    if ("sbcl" in t && (m == "" || t["sbcl"] < m)) m = t["sbcl"]
    if (m != "" && m > 0) { r = k / m; printf " %18.2fx", r; if (r > 1.5) slown++ } else printf " %19s", "-"
    printf "\n"; rows++
  }
  END {
    if (slowc != "") printf "KeelLisp not faster than Clojure on %d of %d programs\n", slowc, rows
    if (slown != "") printf "KeelLisp beyond 1.5x of the faster of Chez and SBCL on %d of %d programs\n", slown, rows
  }'
