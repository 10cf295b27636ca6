/* Minor collection: copy the nursery's live objects into the old generation.
 *
 * Expects: the roots (root scopes, globals, stack maps) and the fields in
 * dirty cards are every reference into the nursery from outside it.
 * Guarantees: every reachable nursery object has one copy in the old
 * generation, every root and field that pointed at it now points at the copy,
 * the nursery is empty and zeroed, no card is dirty.  Cost: proportional to
 * the survivors and the dirty cards, never to the garbage.
 *
 * Algorithm: Cheney's copying collection (Jones, Hosking & Moss, The Garbage
 * Collection Handbook, ch. 4), with every survivor promoted at once.  The copy
 * goes into a free cell of the old generation rather than a contiguous
 * to-space, so the scan queue of copied-but-unscanned objects is an explicit
 * stack instead of Cheney's scan pointer.  A moved object's word 0 becomes
 * its new address | 1 (layouts are 8-byte aligned, so bit 0 is free). */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static uint64_t **gray;
static size_t gray_count, gray_capacity;

static void push_gray(uint64_t *object) {
    if (gray_count == gray_capacity) {
        size_t capacity = gray_capacity ? 2 * gray_capacity : 1024;
        uint64_t **grown = realloc(gray, capacity * sizeof *gray);
        if (grown == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: the minor collection's scan queue");
        gray = grown;
        gray_capacity = capacity;
    }
    gray[gray_count++] = object;
}

static void evacuate(uint64_t *slot) {
    uint64_t value = *slot;
    if (!KEEL_IS_REFERENCE(value) || !keel_in_nursery((void *)(uintptr_t)value)) return;
    uint64_t *object = (uint64_t *)(uintptr_t)value;
    if (object[0] & 1) {
        *slot = object[0] & ~(uint64_t)1;
        return;
    }
    if ((char *)object < keel_heap.nursery_alloc_start || (char *)object >= keel_nursery.ptr || object[0] == 0)
        keel_fatal(KEEL_EXIT_MISUSE, "minor collection: slot %p holds %p, which is not an allocated object of the nursery",
                   (void *)slot, (void *)object);
    size_t bytes = keel_object_bytes(object);
    uint64_t *copy = keel_old_alloc_or_die(bytes);
    memcpy(copy, object, bytes);
    object[0] = (uint64_t)(uintptr_t)copy | 1;
    *slot = (uint64_t)(uintptr_t)copy;
    keel_stats.bytes_promoted += bytes;
    push_gray(copy);
}

void keel_minor_collection(void) {
    keel_visit_roots(evacuate);
    keel_scan_dirty_cards(evacuate);
    while (gray_count > 0) keel_visit_all_fields(gray[--gray_count], evacuate);
    keel_handles_after_minor();
    keel_clear_cards();
    keel_nursery_reset();
    keel_note_peak();
}
