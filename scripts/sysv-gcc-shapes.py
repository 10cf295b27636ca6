#!/usr/bin/env python3
"""Regenerates Tests/Programs/sysv/gcc-shapes.{ssa,expected}: random aggregate
shapes and how gcc passes them (System V AMD64), for GccShapeTests.

For each shape (nested structs, unions, arrays of b h w l s d fields) it writes
the IL type and a C typedef, compiles a C program (gcc -O0) that fills a value
with distinct bytes and passes it to an assembly stub recording rdi, rsi, xmm0,
xmm1 and the stack, then matches the value's non-padding bytes against them:
per eightbyte I (integer register) or S (SSE register), or M (memory).

It also writes gcc-calls.expected: random argument lists (scalars of every ABI
type and shapes of at most 24 bytes) passed by a gcc-compiled caller to a stub
that records all argument registers and 256 bytes of the outgoing stack area;
each line is `TYPES => LOCATIONS`, a location being rN (register number, 16+
for xmm, eightbytes joined by +) or mOFFSET (stack). Arguments are global
variables and the stack is zeroed before each call, so the caller's frame holds
nothing that could be mistaken for a stack argument; each list runs twice with
different byte patterns and must give the same answer both times.

And gcc-returns.expected: each shape returned by a gcc-compiled function to
a stub that passes a zeroed buffer in rdi and records rax, rdx, xmm0, xmm1
afterwards: `NAME r0+r17` (registers per eightbyte) or `NAME mem` (written
through rdi, rdi returned in rax).

usage: scripts/sysv-gcc-shapes.py [SEED [ATTEMPTS]]   (defaults 7 800; needs gcc)
"""
import os, random, shutil, subprocess, sys, tempfile
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
SC = {'b':('char',1),'h':('short',2),'w':('int',4),'l':('long',8),'s':('float',4),'d':('double',8)}
il_types = []   # IL definitions in order
counter = [0]
def new_name():
    counter[0]+=1; return "N%d" % counter[0]
def layout(fields):  # fields: list of (size, align, count)
    off=0; al=1
    for sz,a,c in fields:
        off=(off+a-1)//a*a; off+=sz*c; al=max(al,a)
    return (off+al-1)//al*al, al
def leafmask(lay_items, size):
    m=[0]*size; off=0
    for (sz,a,c,sub) in lay_items:
        off=(off+a-1)//a*a
        for k in range(c):
            if sub is None:
                for j in range(sz): m[off+j]=1
            else:
                for j in range(sz):
                    if sub[j]: m[off+j]=1
            off+=sz
    return m
def gen(depth, allow_union=True):
    """A random aggregate: (IL name, C type body, size, alignment, mask of non-padding bytes)."""
    is_union = allow_union and depth < 2 and random.random() < 0.25
    variants = []
    for v in range(2 if is_union else 1):
        nf = random.randint(1, 4)
        il_f=[]; c_f=[]; lay=[]; items=[]
        for i in range(nf):
            cnt = random.choice([1,1,1,2,3])
            if depth < 2 and random.random() < 0.2:
                n, cb, sz, al, sub = gen(depth+1)
                il_f.append(":%s%s" % (n, "" if cnt==1 else " %d"%cnt))
                c_f.append("%s f%d%s;" % (cb, i, "" if cnt==1 else "[%d]"%cnt))
                lay.append((sz, al, cnt)); items.append((sz, al, cnt, sub))
            else:
                t = random.choice(list(SC))
                cn, sz = SC[t]
                il_f.append(t + ("" if cnt==1 else " %d"%cnt))
                c_f.append("%s f%d%s;" % (cn, i, "" if cnt==1 else "[%d]"%cnt))
                lay.append((sz, sz, cnt)); items.append((sz, sz, cnt, None))
        variants.append((il_f, c_f, layout(lay), items))
    name = new_name()
    size0 = max(v[2][0] for v in variants); al0 = max(v[2][1] for v in variants)
    size0 = (size0+al0-1)//al0*al0
    mask=[0]*size0
    for v in variants:
        for j,b in enumerate(leafmask(v[3], size0)):
            if b: mask[j]=1
    if is_union:
        size = max(v[2][0] for v in variants); al = max(v[2][1] for v in variants)
        size = (size+al-1)//al*al
        il = "type :%s = { %s }" % (name, " ".join("{ %s }" % ", ".join(v[0]) for v in variants))
        cb = "union { %s }" % " ".join("struct { %s } v%d;" % (" ".join(v[1]), k) for k, v in enumerate(variants))
    else:
        (il_f, c_f, (size, al), _) = variants[0]
        il = "type :%s = { %s }" % (name, ", ".join(il_f))
        cb = "struct { %s }" % " ".join(c_f)
    il_types.append(il)
    return name, cb, size, al, mask
shapes = []
for k in range(int(sys.argv[2]) if len(sys.argv) > 2 else 800):
    n, cb, sz, al, mask = gen(0)
    if sz == 0 or sz > 24: continue
    shapes.append((n, cb, sz, mask))
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out_dir = os.path.join(root, "Tests", "Programs", "sysv")
work = tempfile.mkdtemp()
with open(os.path.join(out_dir, "gcc-shapes.ssa"), "w") as f:
    f.write("# Random aggregate shapes; scripts/sysv-gcc-shapes.py made them, gcc-shapes.expected says how gcc passes each.\n")
    f.write("\n".join(il_types) + "\n")
with open(os.path.join(work, "shapes.c"), "w") as f:
    f.write('#include <stdio.h>\n#include <string.h>\n')
    f.write('unsigned long R[2], X[2], K[3];\nvoid dump();\n')
    f.write('''__asm__(".text\\n.globl dump\\ndump:\\n movq %rdi, R(%rip)\\n movq %rsi, R+8(%rip)\\n movq %xmm0, X(%rip)\\n movq %xmm1, X+8(%rip)\\n movq 8(%rsp), %rax\\n movq %rax, K(%rip)\\n movq 16(%rsp), %rax\\n movq %rax, K+8(%rip)\\n movq 24(%rsp), %rax\\n movq %rax, K+16(%rip)\\n ret\\n");
static const char *M;
static const unsigned char *P0;
static int same(const void *reg, const unsigned char *p, int n) {
  const unsigned char *r = reg; 
  for (int i = 0; i < n; i++) if (M[i + (p - P0)] == '1' && r[i] != p[i]) return 0;
  return 1; }
static void report(const char *name, const unsigned char *p, int size) {
  int neb = (size + 7) / 8, ni = 0, ns = 0; char out[4] = {0};
  if (size <= 16) {
    for (int e = 0; e < neb; e++) {
      int n = size - 8*e < 8 ? size - 8*e : 8;
      if (ni < 2 && same(&R[ni], p + 8*e, n)) { out[e] = 'I'; ni++; }
      else if (ns < 2 && same(&X[ns], p + 8*e, n)) { out[e] = 'S'; ns++; }
      else { out[0] = 0; break; }
    }
  }
  if (!out[0]) { strcpy(out, same(K, p, size) ? "M" : "?"); }
  printf("%s %s\\n", name, out);
}
''')
    for n, cb, sz, mask in shapes:
        f.write("typedef %s %s;\n" % (cb, n))
        f.write("static void t_%s(void) { %s s; unsigned char *p = (unsigned char *)&s; for (int i = 0; i < (int)sizeof s; i++) p[i] = 0x41 + i; if (sizeof s != %d) printf(\"size mismatch %s\\n\"); ((void (*)(%s))dump)(s); P0 = p; M = \"%s\"; report(\"%s\", p, sizeof s); }\n" % (n, n, sz, n, n, "".join(map(str, mask)), n))
    f.write("int main(void) {\n%s return 0; }\n" % "".join(" t_%s();\n" % n for n, _, _, _ in shapes))

exe = os.path.join(work, "shapes")
subprocess.run(["gcc", "-O0", "-w", os.path.join(work, "shapes.c"), "-o", exe], check=True)
observed = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
if "?" in observed or "mismatch" in observed:
    sys.exit("unexplained observation:\n" + observed)
with open(os.path.join(out_dir, "gcc-shapes.expected"), "w") as f:
    f.write(observed)
print(len(observed.splitlines()), "shapes")

# ---- argument lists ----
SCALARS = {'w': ('int', 4), 'l': ('long', 8), 's': ('float', 4), 'd': ('double', 8),
           'sb': ('signed char', 1), 'ub': ('unsigned char', 1), 'sh': ('short', 2), 'uh': ('unsigned short', 2)}
small = [(n, sz, mask) for n, cb, sz, mask in shapes if sz <= 24]
calls = []
while len(calls) < 200:
    args, total = [], 0
    for _ in range(random.randint(1, 14)):
        if random.random() < 0.35:
            n, sz, mask = random.choice(small)
            item = (":" + n, n, sz, mask)
        else:
            t = random.choice(list(SCALARS))
            cn, sz = SCALARS[t]
            item = (t, cn, sz, [1] * sz)
        if total + item[2] > 250:
            break
        args.append(item)
        total += item[2]
    calls.append(args)
with open(os.path.join(work, "calls.c"), "w") as f:
    f.write('#include <stdio.h>\n#include <string.h>\n')
    for n, cb, sz, mask in shapes:
        f.write("typedef %s %s;\n" % (cb, n))
    f.write('unsigned long REG[14], STK[32];\nlong LIM;\nvoid dumpregs();\n')
    f.write('__asm__(".text\\n.globl dumpregs\\ndumpregs:\\n'
            + "".join(" movq %%%s, REG+%d(%%rip)\\n" % (r, 8 * i) for i, r in enumerate(["rdi", "rsi", "rdx", "rcx", "r8", "r9"]))
            + "".join(" movq %%xmm%d, REG+%d(%%rip)\\n" % (i, 48 + 8 * i) for i in range(8))
            + "".join(" movq %d(%%rsp), %%rax\\n movq %%rax, STK+%d(%%rip)\\n" % (8 + 8 * i, 8 * i) for i in range(32))
            + " movq %rbp, %rax\\n subq %rsp, %rax\\n subq $8, %rax\\n movq %rax, LIM(%rip)\\n"
            + ' ret\\n");\n')
    f.write('''static const int regnum[14] = {7, 6, 2, 1, 8, 9, 16, 17, 18, 19, 20, 21, 22, 23};
/* Where the masked bytes p[0..n) are: "rN", "mOFF", or "?" when nowhere; the stack wins (see above). */
static char line[4096];
static void place(char *out, const unsigned char *p, const char *mask, int n) {
  /* Only the outgoing area: from the return address up to the caller's frame pointer. */
  for (int j = 0; j < 32 && 8 * j < LIM; j++) {
    const unsigned char *q = (const unsigned char *)&STK[j]; int ok = 1;
    for (int i = 0; i < n; i++) if (mask[i] == '1' && q[i] != p[i]) ok = 0;
    if (ok) { sprintf(out, "m%d", 8 * j); return; }
  }
  /* Several matching registers (a stale copy) make the answer ambiguous: "rA|rB". */
  out[0] = 0;
  for (int k = 0; k < 14; k++) {
    const unsigned char *q = (const unsigned char *)&REG[k]; int ok = 1;
    for (int i = 0; i < n; i++) if (mask[i] == '1' && q[i] != p[i]) ok = 0;
    if (ok) sprintf(out + strlen(out), "%sr%d", out[0] ? "|" : "", regnum[k]);
  }
  if (!out[0]) strcpy(out, "?");
}
static void locate(const void *v, const char *mask, int size) {
  const unsigned char *p = v; char buf[64];
  for (int e = 0; e * 8 < size; e++) {
    int n = size - 8 * e < 8 ? size - 8 * e : 8;
    place(buf, p + 8 * e, mask + 8 * e, n);
    if (e == 0) { strcat(line, " "); strcat(line, buf); if (buf[0] == 'm') return; }
    else { strcat(line, "+"); strcat(line, buf); }
  }
}
static unsigned char counter;
static void fill(void *v, int size) {
  unsigned char *p = v;
  for (int i = 0; i < size; i++) { if (++counter == 0) counter = 1; p[i] = counter; }
}
/* Zeroes the stack below main, where the next call's frame and outgoing area will be,
   and the argument registers, which filling the values (vectorized) left patterns in. */
void zeroregs(void);
__asm__(".text\\nzeroregs:\\n xorl %edi, %edi\\n xorl %esi, %esi\\n xorl %edx, %edx\\n xorl %ecx, %ecx\\n"
        " xorl %r8d, %r8d\\n xorl %r9d, %r9d\\n"
        " pxor %xmm0, %xmm0\\n pxor %xmm1, %xmm1\\n pxor %xmm2, %xmm2\\n pxor %xmm3, %xmm3\\n"
        " pxor %xmm4, %xmm4\\n pxor %xmm5, %xmm5\\n pxor %xmm6, %xmm6\\n pxor %xmm7, %xmm7\\n ret\\n");
static void __attribute__((noinline)) scrub(void) {
  volatile char b[8192]; for (int i = 0; i < 8192; i++) b[i] = 0;
  zeroregs();
}
''')
    for c, args in enumerate(calls):
        for k, (t, cn, sz, mask) in enumerate(args):
            f.write("static %s c%d_%d;\n" % (cn, c, k))
        f.write("static __attribute__((noinline)) void prep%d(int base) {\n counter = base;\n line[0] = 0;\n" % c)
        for k, (t, cn, sz, mask) in enumerate(args):
            f.write(" fill(&c%d_%d, %d);\n" % (c, k, sz))
        f.write("}\nstatic __attribute__((noinline)) void call%d(void) {\n" % c)
        f.write(" ((void (*)(%s))dumpregs)(%s);\n" % (", ".join(a[1] for a in args),
                                                    ", ".join("c%d_%d" % (c, k) for k in range(len(args)))))
        # The call alone in its function: no callee-saved register is pushed
        # between the outgoing area and the frame pointer.
        f.write("}\nstatic __attribute__((noinline)) void report%d(void) {\n" % c)
        f.write(' strcat(line, "%s =>");\n' % " ".join(a[0] for a in args))
        for k, (t, cn, sz, mask) in enumerate(args):
            f.write(' locate(&c%d_%d, "%s", %d);\n' % (c, k, "".join(map(str, mask)), sz))
        f.write('}\n')
    # Each list runs twice with byte patterns that differ per list and per run, so
    # stale data another call left behind cannot match both times; a disagreement is "?".
    f.write("static char first[4096];\nint main(void) {\n")
    for c in range(len(calls)):
        f.write(' prep%d(%d); scrub(); call%d(); report%d(); strcpy(first, line);\n' % (c, (37 * c) % 256, c, c))
        f.write(' prep%d(%d); scrub(); call%d(); report%d();\n' % (c, (37 * c + 101) % 256, c, c))
        f.write(' printf("%s%s\\n", strcmp(first, line) ? "? " : "", line);\n')
    f.write(" return 0; }\n")
exe = os.path.join(work, "calls")
subprocess.run(["gcc", "-O2", "-fno-omit-frame-pointer", "-fno-optimize-sibling-calls", "-w", os.path.join(work, "calls.c"), "-o", exe], check=True)
observed = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
if "?" in observed or "|" in observed:
    sys.exit("unexplained observation:\n" + "\n".join(l for l in observed.splitlines() if "?" in l or "|" in l))
with open(os.path.join(out_dir, "gcc-calls.expected"), "w") as f:
    f.write(observed)
print(len(observed.splitlines()), "argument lists")

# ---- returns ----
with open(os.path.join(work, "returns.c"), "w") as f:
    f.write('#include <stdio.h>\n#include <string.h>\n')
    for n, cb, sz, mask in shapes:
        f.write("typedef %s %s;\n" % (cb, n))
    f.write('''unsigned long RET[4]; unsigned char BUF[64];
long probe(void *fn);
__asm__(".text\\nprobe:\\n push %rbx\\n mov %rdi, %rax\\n lea BUF(%rip), %rdi\\n xorl %edx, %edx\\n"
        " pxor %xmm0, %xmm0\\n pxor %xmm1, %xmm1\\n call *%rax\\n mov %rax, RET(%rip)\\n mov %rdx, RET+8(%rip)\\n"
        " movq %xmm0, RET+16(%rip)\\n movq %xmm1, RET+24(%rip)\\n pop %rbx\\n ret\\n");
static const int retnum[4] = {0, 2, 16, 17};
static void where(const char *name, const void *v, const char *mask, int size) {
  const unsigned char *p = v; char out[64] = "";
  if (RET[0] == (unsigned long)BUF && memcmp(BUF, p, size) == 0) { printf("%s mem\\n", name); return; }
  for (int e = 0; e * 8 < size; e++) {
    int n = size - 8 * e < 8 ? size - 8 * e : 8, count = 0;
    if (e) strcat(out, "+");
    for (int k = 0; k < 4; k++) {
      const unsigned char *q = (const unsigned char *)&RET[k]; int ok = 1;
      for (int i = 0; i < n; i++) if (mask[8 * e + i] == '1' && q[i] != p[8 * e + i]) ok = 0;
      if (ok) sprintf(out + strlen(out), "%sr%d", count++ ? "|" : "", retnum[k]);
    }
    if (!count) strcat(out, "?");
  }
  printf("%s %s\\n", name, out);
}
''')
    for k, (n, cb, sz, mask) in enumerate(shapes):
        f.write("static %s v_%s;\n" % (n, n))
        f.write("static __attribute__((noinline)) %s r_%s(void) { return v_%s; }\n" % (n, n, n))
    f.write("int main(void) {\n")
    for k, (n, cb, sz, mask) in enumerate(shapes):
        f.write(" memset(BUF, 0, sizeof BUF); for (int i = 0; i < %d; i++) ((unsigned char *)&v_%s)[i] = %d + i;\n"
                % (sz, n, 1 + (k * 29) % 200))
        f.write(' probe((void *)r_%s); where("%s", &v_%s, "%s", %d);\n' % (n, n, n, "".join(map(str, mask)), sz))
    f.write(" return 0; }\n")
# A value may also be left in a register gcc copied it through ("r16|r17");
# the callee compiled at -O0, -O1, -O2 and -Os copies differently: keep what all say.
runs = []
for level in ["-O0", "-O1", "-O2", "-Os"]:
    exe = os.path.join(work, "returns" + level)
    subprocess.run(["gcc", level, "-w", os.path.join(work, "returns.c"), "-o", exe], check=True)
    runs.append(subprocess.run([exe], check=True, capture_output=True, text=True).stdout.splitlines())
lines = []
for results in zip(*runs):
    name = results[0].split()[0]
    wheres = [r.split()[1] for r in results]
    if "mem" in wheres:
        lines.append("%s %s" % (name, "mem" if len(set(wheres)) == 1 else "?"))
        continue
    parts = []
    for candidates in zip(*[w.split("+") for w in wheres]):
        common = set.intersection(*[set(c.split("|")) for c in candidates])
        parts.append(common.pop() if len(common) == 1 else "?")
    lines.append("%s %s" % (name, "+".join(parts)))
# Some values pass through the same scratch register at every level (gcc moves a
# {float, double} through rax into xmm0 each time): those stay undecided and are left out.
undecided = [l for l in lines if "?" in l]
observed = "\n".join(l for l in lines if "?" not in l) + "\n"
if len(undecided) > len(lines) // 20:
    sys.exit("too many undecided returns:\n" + "\n".join(undecided))
print(len(undecided), "returns undecided:", " ".join(l.split()[0] for l in undecided))
with open(os.path.join(out_dir, "gcc-returns.expected"), "w") as f:
    f.write(observed)
print(len(observed.splitlines()), "returns")
shutil.rmtree(work)
