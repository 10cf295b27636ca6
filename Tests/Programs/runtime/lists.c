/* Lists built across many minor collections: one long-lived list survives
 * while short-lived lists are built and dropped; every value is checked. */
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
    for (int round = 0; round < 200; round++) {
        tmp = NULL;
        for (int i = 0; i < 300; i++) tmp = cons(NULL, tmp, i);
        keep = cons(NULL, keep, sum(tmp));
    }
    printf("kept %lld\n", (long long)sum(keep));
    int64_t n = 0;
    for (void *p = keep; p; p = CDR(p)) n++;
    printf("length %lld\n", (long long)n);
    keel_collect(1);
    printf("after full collection %lld\n", (long long)sum(keep));
    keel_roots_release(mark);
    return 0;
}
