/* The card table: the write barrier's record of old objects that may point
 * into the nursery.  One byte per 512-byte card of the heap region; a store of
 * a reference sets the card of the field's address to 1 (docs/runtime.md
 * gives the instruction sequence).  A minor collection treats the reference
 * fields lying in dirty cards of old blocks as roots, then clears every card:
 * after it the nursery is empty, so no old-to-young pointer remains. */
#define _DEFAULT_SOURCE
#include "internal.h"
#include <string.h>
#include <sys/mman.h>

uint8_t *keel_card_table;

void keel_cards_init(void) {
    size_t ncards = keel_heap.reserve_bytes >> KEEL_CARD_SHIFT;
    void *cards = mmap(NULL, ncards, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (cards == MAP_FAILED) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot map the card table");
    keel_heap.cards = cards;
    /* Biased: keel_card_table[address >> 9] is the card of address. */
    keel_card_table = (uint8_t *)((uintptr_t)cards - ((uintptr_t)keel_heap.base >> KEEL_CARD_SHIFT));
}

static void scan_card(size_t card, SlotVisitor visit) {
    char *lo = keel_heap.base + (card << KEEL_CARD_SHIFT), *hi = lo + KEEL_CARD_BYTES;
    Block *b = keel_block_of(lo);
    if (b == NULL) return;
    if (b->kind == BLOCK_LARGE_HEAD || b->kind == BLOCK_LARGE_TAIL) {
        keel_visit_fields(keel_object_start(lo), lo, hi, visit);
        return;
    }
    if (b->kind != BLOCK_SMALL) return;
    char *block = keel_block_start(keel_block_index(lo));
    size_t cell = b->cell_bytes;
    size_t k = (size_t)(lo - block) / cell;
    for (char *p = block + k * cell; p < hi && p + cell <= block + KEEL_BLOCK_BYTES; p += cell)
        if (((uint64_t *)p)[0] != 0) keel_visit_fields(p, lo, hi, visit);
}

void keel_scan_dirty_cards(SlotVisitor visit) {
    Heap *h = &keel_heap;
    size_t first = (h->nursery_blocks * KEEL_BLOCK_BYTES) >> KEEL_CARD_SHIFT;
    size_t end = (h->high_water * KEEL_BLOCK_BYTES) >> KEEL_CARD_SHIFT;
    uint8_t *cards = h->cards;
    for (size_t c = first; c < end; c++) {
        /* Skip eight clean cards at a time. */
        if ((c & 7) == 0 && c + 8 <= end) {
            uint64_t eight;
            memcpy(&eight, cards + c, 8);
            if (eight == 0) { c += 7; continue; }
        }
        if (cards[c] == 0) continue;
        cards[c] = 0;
        scan_card(c, visit);
    }
}

/* Clears the nursery's cards (stores into young objects mark them too). */
void keel_clear_cards(void) {
    memset(keel_heap.cards, 0, keel_heap.nursery_bytes >> KEEL_CARD_SHIFT);
}
