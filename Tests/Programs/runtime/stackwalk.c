/* The stack-map walker without the compiler: stackwalk.s holds functions
 * written as the backend will compile them (references in rbp-relative
 * slots, stack maps in keel_stackmaps, inline allocation, the barrier), and a
 * global in keel_globals.  Collections during their calls move the objects;
 * the walker must update the slots, so the structures come back intact. */
#include "support.h"

void *sw_build(long n);
void *sw_deep(long depth);
void sw_store(void *object, long index, void *value);
extern void *sw_global;

int main(void) {
    void *list = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&list);
    /* 1. A loop allocating 3,000 cells (many collections with KEEL_NURSERY=64K). */
    list = sw_build(3000);
    check(list != NULL, "the immediate in a listed slot was changed");
    int64_t n = 0, s = 0, sorted = 1, prev = 0;
    for (void *p = list; p; p = CDR(p)) {
        n++;
        s += VALUE(p);
        if (VALUE(p) <= prev) sorted = 0;
        prev = VALUE(p);
    }
    printf("sw_build: %lld cells, sum %lld, in order %lld\n", (long long)n, (long long)s, (long long)sorted);
    /* 2. Recursion 500 deep, two references live in every frame across calls. */
    void *deep = sw_deep(500);
    keel_root(&deep);
    keel_collect(1);
    n = 0, s = 0;
    int ok = 1;
    for (void *p = deep; p; p = CDR(p)) {
        n++;
        s += VALUE(p);
        if (CAR(p) == NULL || VALUE(CAR(p)) * 1000 != VALUE(p)) ok = 0;
    }
    printf("sw_deep: %lld frames, sum %lld, each frame's first cell intact %d\n", (long long)n, (long long)s, ok);
    /* 3. The barrier as emitted: young cells stored into a promoted vector. */
    void *old = keel_alloc(&vector_layout, 600); /* large enough to span several cards */
    keel_root(&old);
    keel_collect(0);
    for (long i = 0; i < 600; i++) sw_store(old, i, cons(NULL, NULL, i));
    keel_collect(0);
    s = 0;
    for (long i = 0; i < 600; i++) s += VALUE(((void **)keel_fields(old))[i]);
    printf("barrier: sum %lld\n", (long long)s);
    /* 4. A global registered by the keel_globals section. */
    sw_global = cons(NULL, NULL, 4242);
    for (int i = 0; i < 3000; i++) cons(NULL, NULL, i);
    keel_collect(1);
    printf("global: %lld\n", (long long)VALUE(sw_global));
    keel_roots_release(mark);
    return 0;
}
