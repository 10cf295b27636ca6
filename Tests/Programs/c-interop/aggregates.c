#include <stdio.h>
typedef struct { float x, y, z; } V3;      /* HFA of 3 floats */
typedef struct { double a, b; } D2;        /* HFA of 2 doubles */
typedef struct { int a; char b; short c; long d; } S16; /* 16 bytes ints */
typedef struct { long a, b, c; } Big;      /* 24 bytes: by reference */
typedef struct { int a, b, c; } I12;
V3 c_v3(V3 v, float k) { V3 r = { v.x * k, v.y * k, v.z * k }; return r; }
D2 c_d2(D2 a, D2 b) { D2 r = { a.a + b.a, a.b + b.b }; return r; }
S16 c_s16(S16 s) { s.a += 1; s.b += 2; s.c += 3; s.d += 4; return s; }
Big c_big(Big b, long k) { b.a *= k; b.b *= k; b.c *= k; return b; }
long c_stack(long a, long b, long c, long d, long e, long f, long g, I12 x, I12 y) {
    return a+b+c+d+e+f+g + x.a + x.b*10 + x.c*100 + y.a*1000 + y.b*10000 + y.c*100000; }
double c_many(D2 a, D2 b, D2 c, D2 d, D2 e) { return a.a + b.b + c.a + d.b + e.a + e.b; }
/* called from IL */
extern V3 k_v3(V3 v); extern Big k_big(Big b); extern S16 k_s16(S16 s, I12 t);
int main(void) {
    V3 v = {1, 2, 3}; V3 w = k_v3(v); printf("%g %g %g\n", w.x, w.y, w.z);
    Big b = {1, 2, 3}; Big c = k_big(b); printf("%ld %ld %ld | %ld\n", c.a, c.b, c.c, b.a);
    S16 s = {1, 2, 3, 4}; I12 t = {5, 6, 7}; S16 r = k_s16(s, t); printf("%d %d %d %ld\n", r.a, r.b, r.c, r.d);
    extern void k_calls(void); k_calls();
    return 0;
}
