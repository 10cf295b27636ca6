#!/usr/bin/env python3
"""Regenerates Tests/Programs/sysv/gcc-shapes.{ssa,expected}: random aggregate
shapes and how gcc passes them (System V AMD64), for GccShapeTests.

For each shape (nested structs, unions, arrays of b h w l s d fields) it writes
the IL type and a C typedef, compiles a C program (gcc -O0) that fills a value
with distinct bytes and passes it to an assembly stub recording rdi, rsi, xmm0,
xmm1 and the stack, then matches the value's non-padding bytes against them:
per eightbyte I (integer register) or S (SSE register), or M (memory).

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
shutil.rmtree(work)
