/* A table of 100 handles (handles_full.env), all 101 reachable: after
 * collecting, the table is still full, so the runtime stops with a clear
 * message and exit status 72. */
#include "support.h"

static void destroy(void *resource) { (void)resource; }

int main(void) {
    void *kept = keel_alloc(&vector_layout, 101);
    size_t mark = keel_roots_mark();
    keel_root(&kept);
    for (int i = 0; i < 101; i++) {
        if (i == 100) printf("100 handles alive\n");
        fflush(stdout);
        keel_store(kept, i, keel_handle_new(NULL, destroy));
    }
    printf("not reached\n");
    keel_roots_release(mark);
    return 0;
}
