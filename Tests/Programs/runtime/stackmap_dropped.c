/* Mutation test of the stack maps (see stackmap_dropped.s): a slot dropped
 * from a map leaves a stale reference, which the collector reports (exit 70)
 * instead of silently following it. */
#include "support.h"

void *sd_pair(void);

int main(void) {
    void *b = sd_pair();
    size_t mark = keel_roots_mark();
    keel_root(&b);
    keel_collect(0);
    printf("not reached: car value %lld\n", (long long)VALUE(CAR(b)));
    keel_roots_release(mark);
    return 0;
}
