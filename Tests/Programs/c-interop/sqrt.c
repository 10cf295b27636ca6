#include <math.h>
#include <stdio.h>
#include <string.h>
extern double k_sqrtd(double);
extern float k_sqrts(float);
extern double k_mix(double, double, double);
static int same_d(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }
static int same_f(float a, float b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }
int main(void) {
    static const double ds[] = { 0.0, -0.0, 1.0, 2.0, 6.25, 1e-310, 1e300, 0.1, 3.0, INFINITY, -1.0, -INFINITY, NAN };
    static const float fs[] = { 0.0f, -0.0f, 1.0f, 2.0f, 6.25f, 1e-40f, 3e38f, 0.1f, 3.0f, INFINITY, -1.0f, NAN };
    int bad = 0;
    for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++)
        if (!same_d(k_sqrtd(ds[i]), sqrt(ds[i]))) { printf("d %a: %a != %a\n", ds[i], k_sqrtd(ds[i]), sqrt(ds[i])); bad++; }
    for (unsigned i = 0; i < sizeof fs / sizeof fs[0]; i++)
        if (!same_f(k_sqrts(fs[i]), sqrtf(fs[i]))) { printf("s %a: %a != %a\n", fs[i], k_sqrts(fs[i]), sqrtf(fs[i])); bad++; }
    printf("%.17g %.9g %g %g\n", k_sqrtd(2.0), k_sqrts(2.0f), k_sqrtd(-0.0), k_sqrts(-0.0f));
    printf("%.17g\n", k_mix(3.0, 4.0, 16.0));
    printf("%d mismatches\n", bad);
    return 0;
}
