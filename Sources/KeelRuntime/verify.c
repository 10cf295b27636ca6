/* KEEL_GC_VERIFY=1: after every collection, check the whole heap.
 *
 * Every old object has a valid layout (magic, kind, RECORD size) and no mark
 * bit; every reference in an object, a root, a stack-map slot or the handle
 * table points at the header of an allocated old object — never into the
 * nursery, which a collection leaves empty and zeroed; no old-to-young
 * pointer survives, so no card needs to be dirty.  The first violation ends
 * the program with a message naming the slot, the value and the moment. */
#include "internal.h"

static const char *moment;

static void check_object_at(void *object, const char *what, const void *where) {
    Heap *h = &keel_heap;
    if (keel_in_nursery(object))
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: %s %p points into the evacuated nursery (%p)", moment, what, where, object);
    if (keel_object_start(object) != object)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: %s %p holds %p, which is not the header of a live object", moment, what,
                   where, object);
    (void)h;
}

static void check_slot(uint64_t *slot) {
    if (KEEL_IS_REFERENCE(*slot)) check_object_at((void *)(uintptr_t)*slot, "slot", slot);
}

static void check_root_entry(void *object, const char *what) { check_object_at(object, what, object); }

static void check_object(uint64_t *object) {
    const KeelLayout *layout = (const KeelLayout *)(uintptr_t)object[0];
    if (((uintptr_t)layout & 7) != 0 || layout == NULL || layout->magic != KEEL_LAYOUT_MAGIC ||
        layout->kind < KEEL_LAYOUT_RECORD || layout->kind > KEEL_LAYOUT_HANDLE)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: object %p has no valid layout (word 0 is %#llx)", moment, (void *)object,
                   (unsigned long long)object[0]);
    if (layout->kind == KEEL_LAYOUT_RECORD && keel_nwords(object) != layout->nwords)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: object %p of layout %s has %u words, its layout %u", moment, (void *)object,
                   keel_layout_name(layout), keel_nwords(object), layout->nwords);
    if (object[1] >> 32)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: object %p has collector bits set outside a collection", moment, (void *)object);
    Block *b = keel_block_of(object);
    size_t room = b->kind == BLOCK_SMALL ? b->cell_bytes : (size_t)b->run * KEEL_BLOCK_BYTES;
    if (keel_object_bytes(object) > room)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: object %p (%zu bytes) overflows its %zu-byte cell", moment, (void *)object,
                   keel_object_bytes(object), room);
    keel_visit_all_fields(object, check_slot);
}

void keel_verify_heap(const char *when) {
    Heap *h = &keel_heap;
    moment = when;
    if (keel_nursery.ptr != h->nursery_alloc_start)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: the nursery is not empty", moment);
    for (size_t i = h->nursery_blocks; i < h->high_water; i++) {
        Block *b = &h->blocks[i];
        char *start = keel_block_start(i);
        if (b->kind == BLOCK_LARGE_HEAD) {
            check_object((uint64_t *)start);
        } else if (b->kind == BLOCK_SMALL) {
            size_t live = 0;
            for (char *p = start; p + b->cell_bytes <= start + KEEL_BLOCK_BYTES; p += b->cell_bytes)
                if (((uint64_t *)p)[0] != 0) {
                    check_object((uint64_t *)p);
                    live++;
                }
            if (live != b->live_cells)
                keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: block %zu counts %u live cells, holds %zu", moment, i, b->live_cells, live);
        }
    }
    keel_visit_roots(check_slot);
    keel_handles_visit_for_verify(check_root_entry);
}
