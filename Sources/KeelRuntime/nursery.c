/* The nursery and the allocation slow path.
 *
 * Small objects are bump-allocated in the nursery: keel_nursery.ptr moves up
 * towards the nursery's end; generated code does the same inline and calls
 * keel_alloc only when the bump would pass keel_nursery.limit.  Memory in
 * [ptr, limit) is zero, so an allocation writes only the header.  The limit is
 * where zeroing has reached: keel_alloc zeroes the next 32 KiB and moves it on,
 * so zeroing is paid per allocated byte, outside the collector's pause, and a
 * minor collection's cost stays proportional to the survivors.  Objects over
 * 8 KiB, or over a quarter of the nursery, are allocated directly in the old
 * generation. */
#define _DEFAULT_SOURCE
#include "internal.h"
#include <string.h>
#include <sys/mman.h>

KeelNursery keel_nursery;

/* How much keel_alloc zeroes at a time ahead of the bump pointer. */
#define ZERO_CHUNK ((size_t)32 << 10)

void keel_nursery_publish_limit(void) {
    keel_nursery.limit = keel_heap.stress ? NULL : keel_heap.nursery_zeroed;
}

/* Empties the nursery after its survivors were evacuated.  Under
 * KEEL_GC_VERIFY the used part is zeroed at once and allocation restarts
 * alternately at the nursery's start and middle, so an address just evacuated
 * is zero, not a new object, until the collection after next: a stale
 * reference to it (a slot missing from a stack map, a missing barrier) is
 * caught instead of aliasing a new object. */
void keel_nursery_reset(void) {
    Heap *h = &keel_heap;
    size_t used = (size_t)(keel_nursery.ptr - h->nursery_alloc_start);
    keel_stats.bytes_allocated += used;
    if (h->verify) {
        memset(h->nursery_alloc_start, 0, (size_t)(h->nursery_zeroed - h->nursery_alloc_start));
        size_t blocks = h->nursery_bytes >> KEEL_BLOCK_SHIFT;
        char *middle = h->nursery_start + (blocks / 2) * KEEL_BLOCK_BYTES;
        if (blocks >= 2 && h->nursery_alloc_start == h->nursery_start) h->nursery_alloc_start = middle;
        else h->nursery_alloc_start = h->nursery_start;
        h->nursery_zeroed = h->nursery_end; /* the whole nursery is zero again */
    } else if (used <= ZERO_CHUNK) {
        /* Little was allocated (a collection forced early: stress mode,
         * keel_collect): zero it now and keep the zeroed frontier, rather
         * than zero a whole chunk again at the next allocation. */
        memset(h->nursery_alloc_start, 0, used);
    } else {
        h->nursery_alloc_start = h->nursery_start;
        h->nursery_zeroed = h->nursery_start;
    }
    keel_nursery.ptr = h->nursery_alloc_start;
    keel_nursery_publish_limit();
}

/* Sets the nursery's size in use (a multiple of the block size, at most the
 * blocks reserved).  Pages past the size in use are zero: never touched, or
 * returned to the system when it shrank.  Shrinking happens only when the
 * nursery is empty (after a collection). */
void keel_nursery_resize(size_t bytes) {
    Heap *h = &keel_heap;
    char *old_end = h->nursery_end;
    h->nursery_bytes = bytes;
    h->nursery_end = h->nursery_start + bytes;
    if (old_end != NULL && h->nursery_end < old_end) {
        madvise(h->nursery_end, (size_t)(old_end - h->nursery_end), MADV_DONTNEED);
        if (h->nursery_alloc_start >= h->nursery_end) h->nursery_alloc_start = h->nursery_start;
        keel_nursery.ptr = h->nursery_alloc_start;
        if (h->nursery_zeroed > h->nursery_end) h->nursery_zeroed = h->nursery_end;
    } else if (h->nursery_zeroed == old_end && old_end != NULL) {
        h->nursery_zeroed = h->nursery_end;
    }
    /* Under KEEL_GC_VERIFY allocation uses half the nursery at a time. */
    size_t usable = h->verify ? bytes / 2 : bytes;
    h->nursery_small_max = usable / 4 < KEEL_SMALL_MAX_BYTES ? usable / 4 : KEEL_SMALL_MAX_BYTES;
}

/* The adaptive nursery (no KEEL_NURSERY): after a minor collection that
 * promoted more than an eighth of it, it doubles, up to KEEL_NURSERY_GROWN.
 * Objects that would have died a little later (binary trees' subtrees) then
 * die young instead of being promoted, marked and swept; a program whose
 * young objects die young keeps a small nursery that stays in the cache and
 * costs no page faults. */
static void maybe_grow(size_t promoted) {
    Heap *h = &keel_heap;
    size_t reserved = h->nursery_blocks * KEEL_BLOCK_BYTES;
    if (!h->nursery_adaptive || h->stress || h->nursery_bytes >= reserved || promoted <= h->nursery_bytes / 8) return;
    size_t grown = 2 * h->nursery_bytes < reserved ? 2 * h->nursery_bytes : reserved;
    if (keel_heap_in_use() + (grown - h->nursery_bytes) > h->heap_max / 2) return; /* near KEEL_HEAP_MAX */
    keel_nursery_resize(grown);
    keel_nursery_publish_limit();
    /* No major collection before the old generation holds two grown
     * nurseries (after one, major.c keeps four as its floor). */
    if (h->major_threshold < 2 * grown) h->major_threshold = 2 * grown;
}

/* After a major collection: the adaptive nursery halves (not below its
 * starting size) until it is at most twice the old generation, so the heap
 * shrinks after load, nursery included, while a program with much live data
 * (binary trees' long-lived tree) keeps its grown nursery; and until the heap
 * is within half of KEEL_HEAP_MAX (as for growing), so live data near the
 * bound are not reported out of memory for the nursery's sake. */
static void shrink_to_old(void) {
    Heap *h = &keel_heap;
    if (!h->nursery_adaptive) return;
    size_t size = h->nursery_bytes;
    while (size > h->nursery_first && (size > 2 * h->old_bytes || h->old_bytes + size > h->heap_max / 2)) {
        size = (size / 2) & ~(KEEL_BLOCK_BYTES - 1);
        if (size < h->nursery_first) size = h->nursery_first;
    }
    if (size == h->nursery_bytes) return;
    keel_nursery_resize(size);
    keel_nursery_publish_limit();
}

/* Zeroes the nursery ahead of ptr until `bytes` fit (at least a chunk). */
static void extend_zeroed(size_t bytes) {
    Heap *h = &keel_heap;
    char *want = keel_nursery.ptr + bytes;
    if (want <= h->nursery_zeroed) return;
    char *to = h->nursery_zeroed + ZERO_CHUNK;
    if (to < want) to = want;
    if (to > h->nursery_end) to = h->nursery_end;
    memset(h->nursery_zeroed, 0, (size_t)(to - h->nursery_zeroed));
    h->nursery_zeroed = to;
    keel_nursery_publish_limit();
}

void keel_collect_internal(bool major) {
    Heap *h = &keel_heap;
    if (h->collecting) keel_fatal(KEEL_EXIT_MISUSE, "a collection started during a collection");
    uint64_t start = keel_now_ns();
    h->collecting = true;
    uint64_t promoted_before = keel_stats.bytes_promoted;
    keel_minor_collection();
    keel_stats.minor++;
    maybe_grow((size_t)(keel_stats.bytes_promoted - promoted_before));
    bool swept = false;
    if (major || h->old_bytes > h->major_threshold || keel_heap_in_use() > h->heap_max) {
        /* The major's mark bits write every live object, and the heap is read
         * whole after it anyway: stop recording writes until then. */
        if (h->verify) keel_written_suspend();
        keel_major_collection();
        keel_stats.major++;
        swept = true;
        shrink_to_old();
    }
    h->collecting = false;
    uint64_t pause = keel_now_ns() - start;
    keel_stats.total_pause_ns += pause;
    if (pause > keel_stats.longest_pause_ns) keel_stats.longest_pause_ns = pause;
    if (h->verify) keel_verify_heap(swept ? "after a major collection" : "after a collection", swept);
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
    /* The common valid cases without a call (this runs for every allocation
     * compiled code does not inline); anything else gets the full check. */
    bool valid = layout != NULL && ((uintptr_t)layout & 7) == 0 && layout->magic == KEEL_LAYOUT_MAGIC &&
                 (layout->kind == KEEL_LAYOUT_RECORD ? nwords == layout->nwords
                  : (layout->kind == KEEL_LAYOUT_REFS || layout->kind == KEEL_LAYOUT_BYTES) && nwords <= KEEL_MAX_NWORDS);
    if (!valid) keel_check_layout(layout, nwords);
    size_t bytes = KEEL_HEADER_BYTES + 8 * (size_t)nwords;
    /* Compiled code calls here for every allocation of a layout it does not
     * define (KeelLisp's runtime layouts): bump first when the object fits in
     * the zeroed part (limit is NULL under stress and before start-up). */
    if (keel_nursery.limit != NULL && bytes <= h->nursery_small_max &&
        (size_t)(keel_nursery.limit - keel_nursery.ptr) >= bytes) {
        uint64_t *q = (uint64_t *)keel_nursery.ptr;
        keel_nursery.ptr += bytes;
        q[0] = (uint64_t)(uintptr_t)layout;
        q[1] = nwords;
        return q;
    }
    if (h->stress) keel_collect_internal(++h->stress_counter % 16 == 0);
    uint64_t *p;
    if (bytes > KEEL_SMALL_MAX_BYTES || bytes > h->nursery_small_max) {
        if (h->old_bytes + bytes > h->major_threshold) keel_collect_internal(true);
        p = alloc_old(bytes);
    } else {
        if (bytes > (size_t)(h->nursery_end - keel_nursery.ptr)) keel_collect_internal(false);
        extend_zeroed(bytes);
        p = (uint64_t *)keel_nursery.ptr;
        keel_nursery.ptr += bytes;
    }
    p[0] = (uint64_t)(uintptr_t)layout;
    p[1] = nwords;
    keel_nursery_publish_limit();
    return p;
}
