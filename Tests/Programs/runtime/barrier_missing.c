/* Mutation: a store of a young reference into an old object WITHOUT the
 * barrier.  KEEL_GC_VERIFY (set by barrier_missing.env) must report the old
 * object's field pointing into the evacuated nursery after the next minor
 * collection. */
#include "support.h"

int main(void) {
    void *old = keel_alloc(&vector_layout, 4);
    size_t mark = keel_roots_mark();
    keel_root(&old);
    keel_collect(0);
    void *young = cons(NULL, NULL, 7);
    ((void **)keel_fields(old))[2] = young; /* no card mark */
    keel_collect(0);
    printf("not reached\n");
    keel_roots_release(mark);
    return 0;
}
