#!/usr/bin/env bash
# Runs QBE's small C front end "minic" over its own test programs
# (minic/test/*.c) and checks keel against real qbe on the IL it produces:
# each program's IL is compiled by qbe and by `keel il`, linked with cc the way
# minic's driver mcc links (`cc FILE.s`), and both executables are run; their
# stdout and exit status must match. `keel il` must also print nothing (on
# stdout or stderr) for this valid input.
# Prints one line per failing or differing test, then `N passed, M failed`;
# exits non-zero on any failure.
#
# usage: scripts/minic-with-keel.sh QBE_SOURCE_DIR [KEEL_BINARY]
#   QBE_SOURCE_DIR must hold a built qbe (make) and a built minic/minic
#   (make -C minic); this script builds neither.
#   KEEL_BINARY defaults to a release build of this package (built first).
#   Environment: MINIC_TEST_TIMEOUT seconds per run (default 60);
#   MINIC_KNIGHT_DEPTH (default 62, see below).
# Adjustments to the test programs, which read no input and are deterministic:
#   - mandel.c draws with SDL2 and loops until a window event arrives. It is
#     linked with a stub SDL (written below) that hashes every point drawn and
#     its colour, prints the hash, and delivers the "quit" event (type 769)
#     on the third poll.
#   - knight.c searches for 10 closed knight's tours; a single one takes about
#     a minute with qbe's code. The depth test `k == 64` is replaced by
#     `k == $MINIC_KNIGHT_DEPTH` (62: ten 62-move paths, ~0.5 s); 64 runs the
#     program unchanged.
# stdin is /dev/null and no arguments are passed (queen.c then solves 8 queens).
set -euo pipefail
usage="usage: $0 QBE_SOURCE_DIR [KEEL_BINARY]"
qbe=${1:?$usage}
keel=${2:-}
qbe=$(cd "$qbe" && pwd)
cd "$(dirname "$0")/.."
[ -x "$qbe/qbe" ] || { echo "$qbe/qbe not found (build QBE first)" >&2; exit 2; }
[ -x "$qbe/minic/minic" ] || { echo "$qbe/minic/minic not found (run make -C $qbe/minic)" >&2; exit 2; }
if [ -z "$keel" ]; then
  swift build -c release --product keel >/dev/null
  keel=$(swift build -c release --show-bin-path)/keel
fi
[ -x "$keel" ] || { echo "$keel is not an executable" >&2; exit 2; }
limit=${MINIC_TEST_TIMEOUT:-60}
depth=${MINIC_KNIGHT_DEPTH:-62}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/sdl.c" <<'EOF'
#include <stdio.h>
static unsigned long h = 1469598103934665603UL, points;
static int r, g, b, a, polls;
static void mix(long v) { h = (h ^ (unsigned long)v) * 1099511628211UL; }
int SDL_Init(unsigned flags) { printf("SDL_Init %u\n", flags); return 0; }
void *SDL_CreateWindow(const char *t, int x, int y, int w, int hh, unsigned f) {
	printf("SDL_CreateWindow \"%s\" %d %d %d %d %u\n", t, x, y, w, hh, f);
	return &h;
}
void *SDL_CreateRenderer(void *w, int i, unsigned f) {
	printf("SDL_CreateRenderer %d %d %u\n", w == &h, i, f);
	return &r;
}
int SDL_SetRenderDrawColor(void *rnd, int rr, int gg, int bb, int aa) {
	r = rr; g = gg; b = bb; a = aa; return 0;
}
int SDL_RenderDrawPoint(void *rnd, int x, int y) {
	mix(x); mix(y); mix(r); mix(g); mix(b); mix(a); points++; return 0;
}
int SDL_RenderClear(void *rnd) { printf("SDL_RenderClear\n"); return 0; }
int SDL_RenderPresent(void *rnd) { printf("SDL_RenderPresent %lu points, hash %016lx\n", points, h); return 0; }
int SDL_PollEvent(void *e) {
	polls++;
	if (polls == 1) return 0;
	*(int *)e = polls == 2 ? 768 : 769;
	return 1;
}
int SDL_DestroyRenderer(void *rnd) { printf("SDL_DestroyRenderer\n"); return 0; }
int SDL_DestroyWindow(void *w) { printf("SDL_DestroyWindow\n"); return 0; }
int SDL_Quit(void) { printf("SDL_Quit after %d polls\n", polls); return 0; }
EOF
cc -c -o "$tmp/sdl.o" "$tmp/sdl.c"

pass=0 fail=0
for t in "$qbe"/minic/test/*.c; do
  n=$(basename "$t" .c)
  d="$tmp/$n"; mkdir "$d"
  src=$t helper=()
  case $n in
  mandel) helper=("$tmp/sdl.o") ;;
  knight)
    sed "s/k == 64)/k == $depth)/" "$t" > "$d/src.c"
    grep -q "k == $depth)" "$d/src.c" || { echo "FAIL $n: depth test 'k == 64)' not found in $t"; fail=$((fail + 1)); continue; }
    src=$d/src.c ;;
  esac
  if ! "$qbe/minic/minic" < "$src" > "$d/il.ssa" 2> "$d/minic.err"; then
    echo "FAIL $n: minic failed: $(head -1 "$d/minic.err")"; fail=$((fail + 1)); continue
  fi
  if ! "$qbe/qbe" -o "$d/qbe.s" "$d/il.ssa" 2> "$d/qbe.err"; then
    echo "FAIL $n: qbe failed: $(head -1 "$d/qbe.err")"; fail=$((fail + 1)); continue
  fi
  if ! "$keel" il "$d/il.ssa" -o "$d/keel.s" > "$d/keel.out" 2> "$d/keel.err"; then
    echo "FAIL $n: keel il failed: $(head -3 "$d/keel.err" | tr '\n' ' ')"; fail=$((fail + 1)); continue
  fi
  bad=
  if [ -s "$d/keel.err" ] || [ -s "$d/keel.out" ]; then
    echo "FAIL $n: keel il printed: $(cat "$d/keel.out" "$d/keel.err" | head -3 | tr '\n' ' ')"; bad=1
  fi
  for c in qbe keel; do
    if ! cc -o "$d/$c" "$d/$c.s" ${helper[@]+"${helper[@]}"} 2> "$d/$c.ld"; then
      echo "FAIL $n: linking $c output failed: $(head -3 "$d/$c.ld" | tr '\n' ' ')"; bad=1; continue
    fi
    status=0
    timeout "$limit" "$d/$c" < /dev/null > "$d/$c.stdout" 2> /dev/null || status=$?
    echo "$status" > "$d/$c.status"
  done
  if [ -f "$d/qbe.status" ] && [ -f "$d/keel.status" ]; then
    qs=$(cat "$d/qbe.status") ks=$(cat "$d/keel.status")
    if [ "$qs" -eq 124 ]; then
      echo "FAIL $n: qbe-built program timed out after ${limit}s"; bad=1
    elif [ "$ks" -eq 124 ]; then
      echo "FAIL $n: keel-built program timed out after ${limit}s (qbe-built exits $qs)"; bad=1
    elif [ "$qs" != "$ks" ]; then
      echo "FAIL $n: exit status $ks, qbe-built program exits $qs"; bad=1
    elif ! cmp -s "$d/qbe.stdout" "$d/keel.stdout"; then
      echo "FAIL $n: stdout differs from qbe-built program's ($(wc -l < "$d/keel.stdout") vs $(wc -l < "$d/qbe.stdout") lines)"; bad=1
    fi
  fi
  if [ -n "$bad" ]; then fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
