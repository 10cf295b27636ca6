/* The nursery and the allocation slow path.
 *
 * Small objects are bump-allocated in the nursery: keel_nursery.ptr moves up
 * towards the nursery's end; generated code does the same inline and calls
 * keel_alloc only when the bump would pass keel_nursery.limit.  The nursery is
 * kept zeroed beyond ptr (a minor collection zeroes what was used), so an
 * allocation writes only the header.  Objects over 8 KiB, or over a quarter of
 * the nursery, are allocated directly in the old generation. */
#include "internal.h"
#include <string.h>

KeelNursery keel_nursery;

void keel_nursery_publish_limit(void) {
    keel_nursery.limit = keel_heap.stress ? NULL : keel_heap.nursery_end;
}

/* Empties the nursery after its survivors were evacuated.  Under
 * KEEL_GC_VERIFY allocation restarts alternately at the nursery's start and
 * middle, so an address just evacuated is zero, not a new object, until the
 * collection after next: a stale reference to it (a slot missing from a
 * stack map, a missing barrier) is caught instead of aliasing a new object. */
void keel_nursery_reset(void) {
    Heap *h = &keel_heap;
    size_t used = (size_t)(keel_nursery.ptr - h->nursery_alloc_start);
    keel_stats.bytes_allocated += used;
    memset(h->nursery_alloc_start, 0, used);
    char *middle = h->nursery_start + (h->nursery_blocks / 2) * KEEL_BLOCK_BYTES;
    if (h->verify && h->nursery_blocks >= 2 && h->nursery_alloc_start == h->nursery_start) h->nursery_alloc_start = middle;
    else h->nursery_alloc_start = h->nursery_start;
    keel_nursery.ptr = h->nursery_alloc_start;
}

void keel_collect_internal(bool major) {
    Heap *h = &keel_heap;
    if (h->collecting) keel_fatal(KEEL_EXIT_MISUSE, "a collection started during a collection");
    uint64_t start = keel_now_ns();
    h->collecting = true;
    keel_minor_collection();
    keel_stats.minor++;
    if (major || h->old_bytes > h->major_threshold || keel_heap_in_use() > h->heap_max) {
        keel_major_collection();
        keel_stats.major++;
    }
    h->collecting = false;
    uint64_t pause = keel_now_ns() - start;
    keel_stats.total_pause_ns += pause;
    if (pause > keel_stats.longest_pause_ns) keel_stats.longest_pause_ns = pause;
    if (h->verify) keel_verify_heap(major ? "after a major collection" : "after a collection");
    /* Promotion may overshoot the bound by up to a nursery; a full collection
     * then ran, and what is still over the bound is live. */
    if (keel_heap_in_use() > h->heap_max) keel_out_of_memory(0);
    keel_handles_run_pending();
}

void keel_collect_impl(int major) {
    if (!keel_heap.initialized) keel_init();
    if (keel_heap.in_destructor) keel_fatal(KEEL_EXIT_MISUSE, "keel_collect called from a handle destructor");
    keel_collect_internal(major != 0);
}

static void *alloc_old(size_t bytes) {
    void *p = keel_old_alloc(bytes);
    if (p == NULL) {
        keel_collect_internal(true);
        p = keel_old_alloc(bytes);
        if (p == NULL) keel_out_of_memory(bytes);
    }
    return p;
}

void *keel_alloc_impl(const KeelLayout *layout, uint64_t nwords) {
    Heap *h = &keel_heap;
    if (!h->initialized) keel_init();
    if (h->in_destructor) keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc called from a handle destructor (destructors must not allocate)");
    if (h->collecting) keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc called during a collection");
    keel_check_layout(layout, nwords);
    size_t bytes = KEEL_HEADER_BYTES + 8 * (size_t)nwords;
    if (h->stress) keel_collect_internal(++h->stress_counter % 16 == 0);
    uint64_t *p;
    size_t nursery_bytes = (size_t)(h->nursery_end - h->nursery_start) / (h->verify ? 2 : 1);
    if (bytes > KEEL_SMALL_MAX_BYTES || bytes > nursery_bytes / 4) {
        if (h->old_bytes + bytes > h->major_threshold) keel_collect_internal(true);
        p = alloc_old(bytes);
    } else {
        if (bytes > (size_t)(h->nursery_end - keel_nursery.ptr)) {
            keel_collect_internal(false);
        }
        p = (uint64_t *)keel_nursery.ptr;
        keel_nursery.ptr += bytes;
    }
    p[0] = (uint64_t)(uintptr_t)layout;
    p[1] = nwords;
    keel_nursery_publish_limit();
    return p;
}
