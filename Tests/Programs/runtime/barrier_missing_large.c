/* Mutation: a store of a young reference WITHOUT the barrier into a far page
 * of a large object that earlier verifications already checked.  Verifying
 * after a minor collection reads only the old pages written since the last
 * verification (verify.c, written.c); the unbarriered store must count as a
 * write, so KEEL_GC_VERIFY (barrier_missing_large.env) still reports the
 * field pointing into the evacuated nursery. */
#include "support.h"

int main(void) {
    enum { WORDS = 40000 }; /* 320 KB: a large object, about 80 pages */
    void *big = keel_alloc(&vector_layout, WORDS);
    size_t mark = keel_roots_mark();
    keel_root(&big);
    keel_collect(0); /* verified whole */
    keel_collect(0); /* verified again: nothing written */
    void *young = cons(NULL, NULL, 7);
    ((void **)keel_fields(big))[WORDS - 3] = young; /* no card mark */
    keel_collect(0);
    printf("not reached\n");
    keel_roots_release(mark);
    return 0;
}
