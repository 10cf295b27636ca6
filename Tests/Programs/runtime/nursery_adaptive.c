/* The adaptive nursery (no KEEL_NURSERY): a list that survives every minor
 * collection makes it grow; short-lived lists are built beside it; after the
 * list is dropped a full collection shrinks the heap, nursery included.
 * Every value is checked (run verified: nursery_adaptive.env). */
#include "support.h"

static int64_t sum(void *list) {
    int64_t s = 0;
    for (; list; list = CDR(list)) s += VALUE(list);
    return s;
}

int main(void) {
    void *keep = NULL, *tmp = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&keep);
    keel_root(&tmp);
    for (int i = 0; i < 60000; i++) {
        keep = cons(NULL, keep, i);
        if (i % 100 == 0) {
            tmp = NULL;
            for (int k = 0; k < 50; k++) tmp = cons(keep, tmp, k);
            if (sum(tmp) != 1225) { printf("short-lived list broken at %d\n", i); return 1; }
        }
    }
    printf("kept %lld\n", (long long)sum(keep));
    keep = tmp = NULL;
    keel_collect(1);
    printf("after: less than 2 MB %d\n", keel_heap_size() < (2u << 20));
    keel_roots_release(mark);
    return 0;
}
