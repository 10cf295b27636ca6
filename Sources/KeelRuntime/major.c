/* Major collection: mark and sweep the old generation.
 *
 * Expects: a minor collection just ran (the nursery is empty), so every live
 * object is old.  Guarantees: every object reachable from the roots keeps its
 * address; every other old object is freed (its cell back on its block's free
 * list, a large object's blocks back to the system); dead handles' destructors
 * are queued; mark bits are clear again.  Then the next major collection is
 * due when the old generation has doubled (at least 4 MiB and 4 nurseries).
 *
 * Algorithm: marking with an explicit stack, then a sweep of every old block
 * (The Garbage Collection Handbook, ch. 2). */
#include "internal.h"
#include <stdlib.h>

static uint64_t **stack;
static size_t stack_count, stack_capacity;

static void mark(uint64_t *slot) {
    uint64_t value = *slot;
    if (!KEEL_IS_REFERENCE(value)) return;
    uint64_t *object = (uint64_t *)(uintptr_t)value;
    if (keel_object_start(object) != object)
        keel_fatal(KEEL_EXIT_MISUSE, "major collection: slot %p holds %p, which is not an object of the heap",
                   (void *)slot, (void *)object);
    if (object[1] & KEEL_GC_MARK) return;
    object[1] |= KEEL_GC_MARK;
    if (stack_count == stack_capacity) {
        size_t capacity = stack_capacity ? 2 * stack_capacity : 1024;
        uint64_t **grown = realloc(stack, capacity * sizeof *stack);
        if (grown == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: the major collection's mark stack");
        stack = grown;
        stack_capacity = capacity;
    }
    stack[stack_count++] = object;
}

static void sweep(void) {
    Heap *h = &keel_heap;
    for (size_t i = h->nursery_blocks; i < h->high_water; i++) {
        Block *b = &h->blocks[i];
        char *start = keel_block_start(i);
        if (b->kind == BLOCK_LARGE_HEAD) {
            uint64_t *object = (uint64_t *)start;
            size_t run = b->run;
            if (object[1] & KEEL_GC_MARK) object[1] &= ~KEEL_GC_MARK;
            else keel_free_old_object(object);
            i += run - 1;
        } else if (b->kind == BLOCK_SMALL) {
            size_t cell = b->cell_bytes;
            for (char *p = start; p + cell <= start + KEEL_BLOCK_BYTES; p += cell) {
                uint64_t *object = (uint64_t *)p;
                if (object[0] == 0) continue;
                if (object[1] & KEEL_GC_MARK) object[1] &= ~KEEL_GC_MARK;
                else keel_free_old_object(object);
            }
        }
    }
}

void keel_major_collection(void) {
    keel_visit_roots(mark);
    while (stack_count > 0) keel_visit_all_fields(stack[--stack_count], mark);
    keel_handles_after_major();
    sweep();
    keel_release_unused_blocks();
    Heap *h = &keel_heap;
    size_t floor = 4 * h->nursery_bytes;
    if (floor < ((size_t)4 << 20)) floor = (size_t)4 << 20;
    h->old_live_after_major = h->old_bytes;
    h->major_threshold = 2 * h->old_bytes > floor ? 2 * h->old_bytes : floor;
}
