/* Old-to-young stores: an old vector (promoted by a collection) receives
 * young objects through keel_store between minor collections; the card table
 * makes them roots, so every one survives and keeps its value. */
#include "support.h"

int main(void) {
    enum { N = 64 };
    void *old = keel_alloc(&vector_layout, N);
    size_t mark = keel_roots_mark();
    keel_root(&old);
    keel_collect(0); /* promotes it */
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < N; i++) {
            void *young = cons(NULL, NULL, round * 1000 + i);
            keel_store(old, i, young);
            /* garbage between the stores */
            for (int k = 0; k < 5; k++) cons(NULL, NULL, -1);
        }
        if (round % 10 == 9) keel_collect(round % 20 == 19);
    }
    int64_t s = 0;
    for (int i = 0; i < N; i++) s += VALUE(((void **)keel_fields(old))[i]);
    printf("sum %lld\n", (long long)s);
    /* A chain of old objects each pointing at a young one. */
    void *chain = NULL;
    keel_root(&chain);
    for (int i = 0; i < 100; i++) chain = cons(NULL, chain, i);
    keel_collect(0);
    for (void *p = chain; p; p = CDR(p)) {
        void *young = cons(NULL, NULL, 2 * VALUE(p));
        keel_store(p, 0, young);
    }
    keel_collect(0);
    s = 0;
    for (void *p = chain; p; p = CDR(p)) s += VALUE(CAR(p));
    printf("chain %lld\n", (long long)s);
    keel_roots_release(mark);
    return 0;
}
