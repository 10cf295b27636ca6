/* A cycle: a ring of 1,000 conses, one of which holds a handle.  While the
 * ring is reachable it survives collections and its handle's destructor does
 * not run; once unreachable, the next full collection frees it all and runs
 * the destructor exactly once. */
#include "support.h"

static int destroyed;
static void destroy(void *resource) { destroyed++; printf("destructor ran for %s\n", (const char *)resource); }

int main(void) {
    void *first = NULL, *last = NULL, *h = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&first);
    keel_root(&last);
    keel_root(&h);
    first = last = cons(NULL, NULL, 0);
    for (int i = 1; i < 1000; i++) first = cons(NULL, first, i);
    keel_store(last, 1, first); /* close the ring */
    h = keel_handle_new("the ring's handle", destroy);
    keel_store(first, 0, h);
    h = NULL;
    last = NULL;
    for (int i = 0; i < 5; i++) keel_collect(i % 2);
    int64_t s = 0;
    void *p = first;
    for (int i = 0; i < 1000; i++, p = CDR(p)) s += VALUE(p);
    printf("ring sum %lld, back at start %d, destructors %d\n", (long long)s, p == first, destroyed);
    printf("handle resource: %s\n", (const char *)keel_handle_resource(CAR(first)));
    first = NULL;
    keel_collect(1);
    printf("after dropping the ring: destructors %d\n", destroyed);
    keel_collect(1);
    printf("after another collection: destructors %d\n", destroyed);
    keel_roots_release(mark);
    return 0;
}
