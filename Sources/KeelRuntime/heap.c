/* The heap region and the old generation's storage.
 *
 * One contiguous region of address space is reserved at start-up (so that one
 * biased card table covers every heap address) and cut into 32 KiB blocks:
 * the nursery's blocks come first (as many as it may grow to); the old generation takes blocks as it
 * grows.  A SMALL block holds cells of one size class (objects of at most
 * 8 KiB), each free cell linked through its word 1 with word 0 = 0.  A large
 * object gets a run of whole blocks of its own (LARGE_HEAD then LARGE_TAIL).
 * Blocks a sweep empties go back to UNUSED and their pages to the system
 * (madvise), so the heap shrinks after load.  Memory handed out is zeroed. */
#define _DEFAULT_SOURCE
#include "internal.h"
#include <string.h>
#include <sys/mman.h>

Heap keel_heap;

/* ---- Size classes: exact multiples of 8 up to 256 bytes, then about 1.25x apart ---- */
#define MAX_CLASSES 64
static size_t class_bytes[MAX_CLASSES];
static int nclasses;
static uint8_t class_of_words[KEEL_SMALL_MAX_BYTES / 8 + 1];
static uint32_t partial_head[MAX_CLASSES]; /* block index + 1 of a block with free cells */

void keel_size_classes_init(void) {
    size_t b = 16;
    nclasses = 0;
    while (b <= KEEL_SMALL_MAX_BYTES) {
        class_bytes[nclasses++] = b;
        if (b < 256) b += 8;
        else {
            size_t next = (b + b / 4 + 15) & ~(size_t)15;
            b = next > KEEL_SMALL_MAX_BYTES && b < KEEL_SMALL_MAX_BYTES ? KEEL_SMALL_MAX_BYTES : next;
        }
    }
    int c = 0;
    for (size_t w = 0; w <= KEEL_SMALL_MAX_BYTES / 8; w++) {
        while (class_bytes[c] < w * 8) c++;
        class_of_words[w] = (uint8_t)c;
    }
}

int keel_size_class(size_t bytes) { return class_of_words[(bytes + 7) / 8]; }
size_t keel_class_bytes(int size_class) { return class_bytes[size_class]; }

/* ---- The region ---- */

char *keel_block_start(size_t index) { return keel_heap.base + (index << KEEL_BLOCK_SHIFT); }

size_t keel_block_index(const void *address) {
    return (size_t)((const char *)address - keel_heap.base) >> KEEL_BLOCK_SHIFT;
}

Block *keel_block_of(const void *address) {
    uintptr_t a = (uintptr_t)address, base = (uintptr_t)keel_heap.base;
    if (a < base || a >= base + keel_heap.high_water * KEEL_BLOCK_BYTES) return NULL;
    return &keel_heap.blocks[(a - base) >> KEEL_BLOCK_SHIFT];
}

bool keel_in_nursery(const void *address) {
    return (const char *)address >= keel_heap.nursery_start && (const char *)address < keel_heap.nursery_end;
}

size_t keel_heap_size(void) { return keel_heap.initialized ? keel_heap_in_use() : 0; }

size_t keel_heap_in_use(void) {
    return keel_heap.nursery_bytes + keel_heap.old_bytes;
}

void keel_note_peak(void) {
    size_t used = keel_heap_in_use();
    if (used > keel_stats.peak_heap) keel_stats.peak_heap = used;
}

void keel_heap_init(size_t nursery_bytes) {
    Heap *h = &keel_heap;
    size_t nursery = h->nursery_blocks * KEEL_BLOCK_BYTES;
    size_t reserve = h->heap_max_set ? 2 * h->heap_max + 2 * nursery : (size_t)4 << 30;
    if (reserve < ((size_t)64 << 20)) reserve = (size_t)64 << 20;
    reserve = (reserve + KEEL_BLOCK_BYTES - 1) & ~(KEEL_BLOCK_BYTES - 1);
    void *raw = mmap(NULL, reserve + KEEL_BLOCK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot reserve %zu bytes of address space for the heap", reserve);
    h->base = (char *)(((uintptr_t)raw + KEEL_BLOCK_BYTES - 1) & ~(uintptr_t)(KEEL_BLOCK_BYTES - 1));
    h->reserve_bytes = reserve;
    h->nblocks = reserve >> KEEL_BLOCK_SHIFT;
    h->blocks = mmap(NULL, h->nblocks * sizeof(Block), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h->blocks == MAP_FAILED)
        keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot map the heap's block table");
    if (!h->heap_max_set) h->heap_max = reserve / 2;
    keel_size_classes_init();
    keel_cards_init();
    /* The nursery: the region's first blocks. */
    for (size_t i = 0; i < h->nursery_blocks; i++) h->blocks[i].kind = BLOCK_NURSERY;
    h->high_water = h->first_unused_hint = h->nursery_blocks;
    h->nursery_start = h->base;
    h->nursery_first = nursery_bytes;
    keel_nursery_resize(nursery_bytes);
    h->major_threshold = 4 * nursery_bytes > ((size_t)4 << 20) ? 4 * nursery_bytes : (size_t)4 << 20;
}

/* A run of `count` unused blocks, or SIZE_MAX when the region has none. */
static size_t take_blocks(size_t count) {
    Heap *h = &keel_heap;
    size_t i = h->first_unused_hint, run = 0;
    bool hint_moved = false;
    for (; i < h->nblocks; i++) {
        if (h->blocks[i].kind != BLOCK_UNUSED) { run = 0; continue; }
        if (!hint_moved) { h->first_unused_hint = i; hint_moved = true; }
        if (++run == count) {
            size_t first = i + 1 - count;
            if (i + 1 > h->high_water) h->high_water = i + 1;
            if (first == h->first_unused_hint) h->first_unused_hint = i + 1;
            return first;
        }
    }
    return SIZE_MAX;
}

static void give_back_blocks(size_t first, size_t count) {
    for (size_t i = first; i < first + count; i++) memset(&keel_heap.blocks[i], 0, sizeof(Block));
    madvise(keel_block_start(first), count * KEEL_BLOCK_BYTES, MADV_DONTNEED);
    keel_heap.old_bytes -= count * KEEL_BLOCK_BYTES;
    if (first < keel_heap.first_unused_hint) keel_heap.first_unused_hint = first;
}

static bool over_limit(size_t more, bool allow_over) {
    return !allow_over && keel_heap_in_use() + more > keel_heap.heap_max;
}

static void *alloc_large(size_t bytes, bool allow_over) {
    size_t count = (bytes + KEEL_BLOCK_BYTES - 1) >> KEEL_BLOCK_SHIFT;
    if (over_limit(count * KEEL_BLOCK_BYTES, allow_over)) return NULL;
    size_t first = take_blocks(count);
    if (first == SIZE_MAX) {
        if (!allow_over) return NULL;
        keel_out_of_memory(bytes);
    }
    Block *b = &keel_heap.blocks[first];
    b->kind = BLOCK_LARGE_HEAD;
    b->run = (uint32_t)count;
    for (size_t i = 1; i < count; i++) {
        b[i].kind = BLOCK_LARGE_TAIL;
        b[i].run = (uint32_t)i;
    }
    keel_heap.old_bytes += count * KEEL_BLOCK_BYTES;
    keel_note_peak();
    /* No memset: an UNUSED block's pages were never touched since the
     * region was mapped, or were given back with MADV_DONTNEED, so they read
     * as zero (writing zeros would fault every page in twice). */
    return keel_block_start(first);
}

static bool new_small_block(int c, bool allow_over) {
    if (over_limit(KEEL_BLOCK_BYTES, allow_over)) return false;
    size_t index = take_blocks(1);
    if (index == SIZE_MAX) {
        if (!allow_over) return false;
        keel_out_of_memory(KEEL_BLOCK_BYTES);
    }
    Block *b = &keel_heap.blocks[index];
    b->kind = BLOCK_SMALL;
    b->size_class = (uint8_t)c;
    b->cell_bytes = (uint32_t)class_bytes[c];
    b->live_cells = 0;
    char *start = keel_block_start(index);
    size_t ncells = KEEL_BLOCK_BYTES / b->cell_bytes;
    void *list = NULL;
    for (size_t k = ncells; k-- > 0;) {
        uint64_t *cell = (uint64_t *)(start + k * b->cell_bytes);
        cell[0] = 0;
        cell[1] = (uint64_t)(uintptr_t)list;
        list = cell;
    }
    b->free_cells = list;
    b->next_partial = partial_head[c];
    partial_head[c] = (uint32_t)index + 1;
    keel_heap.old_bytes += KEEL_BLOCK_BYTES;
    keel_note_peak();
    return true;
}

static void *alloc_small(size_t bytes, bool allow_over) {
    int c = keel_size_class(bytes);
    if (partial_head[c] == 0 && !new_small_block(c, allow_over)) return NULL;
    Block *b = &keel_heap.blocks[partial_head[c] - 1];
    uint64_t *cell = b->free_cells;
    b->free_cells = (void *)(uintptr_t)cell[1];
    b->live_cells++;
    if (b->free_cells == NULL) {
        partial_head[c] = b->next_partial;
        b->next_partial = 0;
    }
    memset(cell, 0, class_bytes[c]);
    return cell;
}

void *keel_old_alloc(size_t bytes) {
    void *p = bytes > KEEL_SMALL_MAX_BYTES ? alloc_large(bytes, false) : alloc_small(bytes, false);
    if (p != NULL) keel_stats.bytes_allocated += bytes;
    return p;
}

void *keel_old_alloc_or_die(size_t bytes) {
    return bytes > KEEL_SMALL_MAX_BYTES ? alloc_large(bytes, true) : alloc_small(bytes, true);
}

void *keel_object_start(const void *address) {
    Block *b = keel_block_of(address);
    if (b == NULL) return NULL;
    size_t index = (size_t)(b - keel_heap.blocks);
    switch (b->kind) {
    case BLOCK_SMALL: {
        char *start = keel_block_start(index);
        size_t k = (size_t)((const char *)address - start) / b->cell_bytes;
        if ((k + 1) * b->cell_bytes > KEEL_BLOCK_BYTES) return NULL; /* the block's unused tail */
        uint64_t *cell = (uint64_t *)(start + k * b->cell_bytes);
        return cell[0] == 0 ? NULL : cell;
    }
    case BLOCK_LARGE_HEAD:
        return keel_block_start(index);
    case BLOCK_LARGE_TAIL:
        return keel_block_start(index - b->run);
    default:
        return NULL;
    }
}

void keel_free_old_object(void *object) {
    Block *b = keel_block_of(object);
    if (b == NULL) keel_fatal(KEEL_EXIT_MISUSE, "freeing %p, which is outside the heap", object);
    size_t index = (size_t)(b - keel_heap.blocks);
    if (b->kind == BLOCK_LARGE_HEAD) {
        give_back_blocks(index, b->run);
        return;
    }
    uint64_t *cell = object;
    cell[0] = 0;
    cell[1] = (uint64_t)(uintptr_t)b->free_cells;
    b->free_cells = cell;
    b->live_cells--;
}

/* After a sweep: empty SMALL blocks back to UNUSED; the partial lists rebuilt. */
void keel_release_unused_blocks(void) {
    Heap *h = &keel_heap;
    for (int c = 0; c < nclasses; c++) partial_head[c] = 0;
    for (size_t i = h->high_water; i-- > h->nursery_blocks;) {
        Block *b = &h->blocks[i];
        if (b->kind != BLOCK_SMALL) continue;
        if (b->live_cells == 0) {
            give_back_blocks(i, 1);
        } else if (b->free_cells != NULL) {
            b->next_partial = partial_head[b->size_class];
            partial_head[b->size_class] = (uint32_t)i + 1;
        } else {
            b->next_partial = 0;
        }
    }
    while (h->high_water > h->nursery_blocks && h->blocks[h->high_water - 1].kind == BLOCK_UNUSED) h->high_water--;
}
