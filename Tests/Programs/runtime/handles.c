/* 5,000 handles created between two collections with a table of 1,000
 * (handles.env): each time the table is full the runtime collects, runs the
 * destructors of the dropped handles, compacts and retries.  Fifty handles
 * kept alive throughout keep their resources; their destructors run at exit,
 * each once. */
#include "support.h"

static int destroyed[5050];
static int total;

static void destroy(void *resource) {
    int id = (int)(intptr_t)resource;
    destroyed[id]++;
    total++;
    if (destroyed[id] != 1) printf("destructor of %d ran %d times\n", id, destroyed[id]);
    if (id >= 5000 && total <= 5000) printf("destructor of kept handle %d ran early\n", id);
}

static void at_end(void) {
    int bad = 0;
    for (int i = 0; i < 5050; i++) bad += destroyed[i] != 1;
    printf("at exit: %d destructors, %d not run exactly once\n", total, bad);
}

int main(void) {
    atexit(at_end); /* registered before the runtime starts, so it runs after the runtime's exit handler */
    void *kept = keel_alloc(&vector_layout, 50);
    size_t mark = keel_roots_mark();
    keel_root(&kept);
    for (int i = 0; i < 50; i++) keel_store(kept, i, keel_handle_new((void *)(intptr_t)(5000 + i), destroy));
    keel_collect(0);
    for (int i = 0; i < 5000; i++) {
        void *h = keel_handle_new((void *)(intptr_t)i, destroy);
        check(keel_handle_resource(h) == (void *)(intptr_t)i, "fresh handle resource");
    }
    keel_collect(1);
    printf("after 5000 dropped handles: %d destructors, table holds %zu\n", total, keel_handle_count());
    int ok = 1;
    for (int i = 0; i < 50; i++)
        ok &= keel_handle_resource(((void **)keel_fields(kept))[i]) == (void *)(intptr_t)(5000 + i);
    printf("kept handles intact: %d\n", ok);
    keel_handle_close(((void **)keel_fields(kept))[0]);
    keel_handle_close(((void **)keel_fields(kept))[0]);
    printf("closed one twice: %d destructors, resource now %p\n", total, keel_handle_resource(((void **)keel_fields(kept))[0]));
    keel_roots_release(mark);
    return 0;
}
