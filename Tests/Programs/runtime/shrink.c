/* The heap grows under load and returns memory after it: about 12 MB of
 * live lists of 4 KB buffers, then dropped; after a full collection the heap
 * is small again. */
#include "support.h"

int main(void) {
    void *lists = keel_alloc(&vector_layout, 30), *buffer = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&lists);
    keel_root(&buffer);
    for (int k = 0; k < 30; k++)
        for (int i = 0; i < 100; i++) {
            buffer = keel_alloc(&bytes_layout, 512);
            keel_store(lists, k, cons(buffer, ((void **)keel_fields(lists))[k], i));
        }
    keel_collect(1);
    size_t loaded = keel_heap_size();
    printf("under load: more than 10 MB %d\n", loaded > (10u << 20));
    lists = buffer = NULL;
    keel_collect(1);
    size_t after = keel_heap_size();
    printf("after: less than 2 MB %d\n", after < (2u << 20));
    keel_roots_release(mark);
    return 0;
}
