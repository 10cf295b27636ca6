#!/usr/bin/env python3
"""Writes a large, valid IL program in the style of a C front end's output.

Each function has stack slots for its locals, loads and stores, integer and
float arithmetic, comparisons feeding branches, loops, calls, and temporaries
assigned more than once (so SSA construction has work to do). Deterministic:
the same arguments give the same file.

usage: generate-il.py [FUNCTIONS] > out.ssa   (default 200 functions, about 33,000 lines)
"""
import random
import sys

def function(rng, index, out):
    name = f"f{index}"
    out.append(f"export function w ${name}(w %a, l %p, d %x) {{")
    out.append("@start")
    slots = [f"%s{i}" for i in range(rng.randint(2, 6))]
    for s in slots:
        out.append(f"\t{s} =l alloc4 4")
        out.append(f"\tstorew %a, {s}")
    out.append("\t%acc =w copy 0")
    out.append("\t%f =d copy %x")
    temp = 0
    blocks = rng.randint(6, 14)
    for b in range(blocks):
        out.append(f"@b{b}")
        for _ in range(rng.randint(3, 9)):
            temp += 1
            t = f"%t{temp}"
            kind = rng.randrange(7)
            s = rng.choice(slots)
            if kind == 0:
                out.append(f"\t{t} =w loadw {s}")
                out.append(f"\t%acc =w add %acc, {t}")
            elif kind == 1:
                out.append(f"\t{t} =w mul %acc, {rng.randint(2, 99)}")
                out.append(f"\tstorew {t}, {s}")
            elif kind == 2:
                out.append(f"\t{t} =l extsw %acc")
                out.append(f"\t{t}p =l add %p, {t}")
            elif kind == 3:
                out.append(f"\t{t} =d swtof %acc")
                out.append(f"\t%f =d add %f, {t}")
            elif kind == 4:
                out.append(f"\t{t} =w call $f{rng.randrange(index + 1)}(w %acc, l %p, d %f)")
                out.append(f"\t%acc =w xor %acc, {t}")
            elif kind == 5:
                out.append(f"\t{t} =w csltw %acc, {rng.randint(-50, 50)}")
                out.append(f"\t%acc =w sub %acc, {t}")
            else:
                out.append(f"\t{t} =w and %acc, {rng.randint(1, 4095)}")
                out.append(f"\t%acc =w shl {t}, 1")
        temp += 1
        c = f"%c{temp}"
        if b + 1 < blocks:
            out.append(f"\t{c} =w csgtw %acc, {rng.randint(-100, 100)}")
            back = rng.randrange(b + 1) if rng.random() < 0.2 else b + 1
            out.append(f"\tjnz {c}, @b{back if back > 0 else 1}, @b{b + 1}")
    out.append("\t%r =w dtosi %f")
    out.append("\t%r =w add %r, %acc")
    out.append("\tret %r")
    out.append("}")
    out.append("")

def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(20261122)
    out = []
    for i in range(count):
        function(rng, i, out)
    sys.stdout.write("\n".join(out))

main()
