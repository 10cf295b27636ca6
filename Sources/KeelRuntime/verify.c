/* KEEL_GC_VERIFY=1: after every collection, check the heap.
 *
 * Every old object has a valid layout (magic, kind, RECORD size) and no mark
 * bit; every reference in an object, a root, a stack-map slot or the handle
 * table points at the header of an allocated old object — never into the
 * nursery, which a collection leaves empty and zeroed; no old-to-young
 * pointer survives, so no card needs to be dirty.  The first violation ends
 * the program with a message naming the slot, the value and the moment.
 *
 * What is checked is the whole heap, but not all of it is read every time.
 * After a major collection (a sweep may free what anything points to), at
 * the first verification and under KEEL_GC_VERIFY=full, every object is
 * read.  After a minor collection only the old pages written since the last
 * verification are (written.c records them: promotion, updated fields, and
 * every store of the program, with or without its barrier): an old page
 * nobody wrote holds what was checked then, and what its references point
 * to is still allocated, since only a sweep frees old objects.  The roots
 * and the handle table are read every time.  So verifying costs what the
 * program and the collection touched, not the size of the heap. */
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

/* The header of `object`: its layout, size, collector bits and cell. */
static void check_header(uint64_t *object) {
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
}

static void check_object(uint64_t *object) {
    check_header(object);
    keel_visit_all_fields(object, check_slot);
}

static void check_small_block(size_t i) {
    Block *b = &keel_heap.blocks[i];
    char *start = keel_block_start(i);
    size_t live = 0;
    for (char *p = start; p + b->cell_bytes <= start + KEEL_BLOCK_BYTES; p += b->cell_bytes)
        if (((uint64_t *)p)[0] != 0) {
            check_object((uint64_t *)p);
            live++;
        }
    if (live != b->live_cells)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: block %zu counts %u live cells, holds %zu", moment, i, b->live_cells, live);
}

/* A large object: whole, or only its header and the fields on written pages. */
static void check_large_object(size_t i, bool everything) {
    uint64_t *object = (uint64_t *)keel_block_start(i);
    if (everything) {
        check_object(object);
        return;
    }
    char *end = (char *)object + keel_object_bytes(object);
    size_t page = keel_written_page_bytes();
    for (char *p = (char *)object; p < end; p += page) {
        if (!keel_written_page(p)) continue;
        if (p == (char *)object) check_header(object);
        keel_visit_fields(object, p, p + page, check_slot);
    }
}

void keel_verify_heap(const char *when, bool everything) {
    Heap *h = &keel_heap;
    moment = when;
    everything = everything || h->verify_full || !h->verified_once || !keel_written_tracking();
    if (keel_nursery.ptr != h->nursery_alloc_start)
        keel_fatal(KEEL_EXIT_MISUSE, "GC verify %s: the nursery is not empty", moment);
    for (size_t i = h->nursery_blocks; i < h->high_water; i++) {
        Block *b = &h->blocks[i];
        if (b->kind == BLOCK_LARGE_HEAD) check_large_object(i, everything);
        else if (b->kind == BLOCK_SMALL && (everything || keel_written_block(i))) check_small_block(i);
    }
    keel_visit_roots(check_slot);
    keel_handles_visit_for_verify(check_root_entry);
    h->verified_once = true;
    if (!h->verify_full) keel_written_protect();
}
