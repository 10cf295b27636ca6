/* Objects larger than the nursery: a vector of 200,000 references (1.6 MB,
 * the nursery is 1 MB or less) is allocated in the old generation, filled with
 * young objects through the barrier and survives collections; large byte
 * buffers are allocated and dropped until far more than KEEL_HEAP_MAX was
 * allocated in all (their blocks are reclaimed). */
#include "support.h"
#include <string.h>

int main(void) {
    enum { N = 200000 };
    void *vector = keel_alloc(&vector_layout, N);
    void *buffer = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&vector);
    keel_root(&buffer);
    check(keel_nwords(vector) == N, "vector size");
    /* Every 1000th element: a young cons, stored with the barrier. */
    for (int i = 0; i < N; i += 1000) {
        void *cell = cons(NULL, NULL, i);
        keel_store(vector, i, cell);
    }
    keel_collect(0);
    int64_t s = 0;
    for (int i = 0; i < N; i += 1000) s += VALUE(((void **)keel_fields(vector))[i]);
    printf("sum %lld\n", (long long)s);
    /* 40 buffers of 2 MB, each dropped at once: 80 MB through a 24 MB heap. */
    for (int i = 0; i < 40; i++) {
        buffer = keel_alloc(&bytes_layout, (2 << 20) / 8);
        memset(keel_fields(buffer), i, 2 << 20);
        check(((unsigned char *)keel_fields(buffer))[12345] == (unsigned char)i, "buffer contents");
    }
    keel_collect(1);
    s = 0;
    for (int i = 0; i < N; i += 1000) s += VALUE(((void **)keel_fields(vector))[i]);
    printf("sum after buffers %lld\n", (long long)s);
    keel_roots_release(mark);
    return 0;
}
