/* Out of memory under KEEL_HEAP_MAX=1M (oom.env): a list of 800-byte
 * vectors that keeps growing ends the program with "out of memory" and exit
 * status 71, not a crash. */
#include "support.h"

int main(void) {
    void *list = NULL, *item = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&list);
    keel_root(&item);
    for (long i = 0;; i++) {
        item = keel_alloc(&vector_layout, 100);
        list = cons(item, list, i);
        if (i == 100) { printf("100 cells\n"); fflush(stdout); }
    }
    keel_roots_release(mark);
    return 0;
}
