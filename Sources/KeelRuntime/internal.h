/* The runtime's shared internal state and the functions its files share.
 * Not part of the public interface (include/KeelRuntime.h). */
#ifndef KEEL_INTERNAL_H
#define KEEL_INTERNAL_H

#include "KeelRuntime.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Sizes ---- */
#define KEEL_BLOCK_SHIFT 15
#define KEEL_BLOCK_BYTES ((size_t)1 << KEEL_BLOCK_SHIFT)   /* 32 KiB */
#define KEEL_SMALL_MAX_BYTES 8192                        /* larger objects are "large" */
#define KEEL_MAX_NWORDS (((uint64_t)1 << 32) - 1)

/* Header word 1, high half: the collector's bits. */
#define KEEL_GC_MARK ((uint64_t)1 << 32)
#define KEEL_NWORDS_MASK 0xffffffffu

/* ---- Blocks of the heap region ---- */
enum BlockKind {
    BLOCK_UNUSED = 0,   /* never handed out, or returned */
    BLOCK_NURSERY,
    BLOCK_SMALL,        /* cells of one size class */
    BLOCK_LARGE_HEAD,   /* first block of a large object */
    BLOCK_LARGE_TAIL,   /* a following block of a large object */
};

typedef struct Block {
    uint8_t kind;
    uint8_t size_class;       /* SMALL */
    uint32_t cell_bytes;      /* SMALL */
    uint32_t run;             /* LARGE_HEAD: blocks in the object; LARGE_TAIL: distance to the head */
    uint32_t live_cells;      /* SMALL: allocated cells */
    void *free_cells;         /* SMALL: free list through word 1 of free cells */
    uint32_t next_partial;    /* SMALL: next block of the class with free cells, +1 (0: none) */
} Block;

typedef struct Heap {
    char *base;               /* region start, block aligned */
    size_t reserve_bytes;     /* region size */
    size_t nblocks;           /* blocks in the region */
    Block *blocks;
    size_t high_water;        /* blocks ever handed out: [0, high_water) */
    size_t first_unused_hint;
    uint8_t *cards;           /* unbiased card table, one byte per card of the region */

    char *nursery_start, *nursery_end;
    char *nursery_alloc_start; /* where allocation started after the last collection */
    char *nursery_zeroed;      /* [keel_nursery.ptr, nursery_zeroed) is zero: the real limit */
    size_t nursery_blocks;    /* reserved for the nursery: its largest size */
    size_t nursery_bytes;     /* in use: [nursery_start, nursery_end) */
    size_t nursery_small_max; /* larger objects go to the old generation: min(8 KiB, a quarter of the usable nursery) */
    bool nursery_adaptive;    /* no KEEL_NURSERY: grows while minor collections promote much */
    size_t nursery_first;     /* the starting size, which a major collection restores */

    size_t old_bytes;         /* bytes in SMALL and LARGE blocks (whole blocks) */
    size_t old_live_after_major;
    size_t major_threshold;   /* run a major collection when old_bytes exceeds it */
    size_t heap_max;          /* KEEL_HEAP_MAX, or the reserve */
    bool heap_max_set;
    const char *heap_max_text;

    bool stress, verify, stats;
    bool verify_full;         /* KEEL_GC_VERIFY=full: read the whole heap every time, no write tracking */
    bool verified_once;
    bool initialized;
    bool collecting;
    bool in_destructor;
    unsigned stress_counter;
} Heap;

extern Heap keel_heap;

/* ---- Statistics ---- */
typedef struct Stats {
    uint64_t minor, major;
    uint64_t bytes_allocated;   /* nursery bytes (inline and slow path) + old allocations */
    uint64_t bytes_promoted;
    uint64_t peak_heap;
    uint64_t longest_pause_ns;
    uint64_t total_pause_ns;
    uint64_t handles_destroyed;
} Stats;
extern Stats keel_stats;

/* errors.c */
_Noreturn void keel_fatal(int status, const char *format, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void keel_out_of_memory(size_t requested);

/* layout.c */
size_t keel_object_bytes(const void *object);
void keel_check_layout(const KeelLayout *layout, uint64_t nwords);
typedef void (*SlotVisitor)(uint64_t *slot);
/* Calls visit for each reference field whose address lies in [lo, hi). */
void keel_visit_fields(void *object, const char *lo, const char *hi, SlotVisitor visit);
void keel_visit_all_fields(void *object, SlotVisitor visit);
const char *keel_layout_name(const KeelLayout *layout);

/* heap.c */
void keel_heap_init(size_t nursery_bytes); /* the nursery's starting size */
void *keel_old_alloc(size_t bytes);        /* zeroed; NULL if over the limit */
void *keel_old_alloc_or_die(size_t bytes); /* during collection: over the limit is allowed */
Block *keel_block_of(const void *address);  /* NULL outside the region */
size_t keel_block_index(const void *address);
char *keel_block_start(size_t index);
void *keel_object_start(const void *address); /* the old object containing address, or NULL */
bool keel_in_nursery(const void *address);
void keel_free_old_object(void *object);
void keel_release_unused_blocks(void);
size_t keel_heap_in_use(void);
void keel_note_peak(void);
void keel_size_classes_init(void);
int keel_size_class(size_t bytes);
size_t keel_class_bytes(int size_class);

/* nursery.c, handles.c: the implementations behind the entry stubs (entry.c) */
void *keel_alloc_impl(const KeelLayout *layout, uint64_t nwords);
void keel_collect_impl(int major);
void *keel_handle_new_impl(void *resource, KeelDestructor destructor);

/* nursery.c */
void keel_nursery_reset(void);
void keel_nursery_resize(size_t bytes);
/* The adaptive nursery's largest size. */
#define KEEL_NURSERY_GROWN ((size_t)16 << 20)
void keel_nursery_publish_limit(void);

/* minor.c, major.c */
void keel_minor_collection(void);
void keel_major_collection(void);
void keel_collect_internal(bool major);

/* cards.c */
void keel_cards_init(void);
void keel_scan_dirty_cards(SlotVisitor visit);
void keel_clear_cards(void);

/* roots.c */
void keel_visit_roots(SlotVisitor visit);
/* stackmap.c */
void keel_stackmaps_init(void);
/* Compares every declaration of the section keel_layouts with its layout (layouts.c). */
void keel_layouts_check(void);
void keel_visit_stack(SlotVisitor visit);
extern uintptr_t keel_entry_rbp, keel_entry_ret;

/* handles.c */
void keel_handles_init(void);
void keel_handles_after_minor(void);
void keel_handles_after_major(void);
void keel_handles_run_pending(void);
void keel_handles_at_exit(void);
void keel_handles_visit_for_verify(void (*check)(void *object, const char *what));

/* verify.c: `everything` after a major collection (a sweep ran) */
void keel_verify_heap(const char *when, bool everything);

/* written.c: old-generation pages written since the last verification */
void keel_written_init(void);
void keel_written_protect(void);
void keel_written_suspend(void);
bool keel_written_tracking(void);
bool keel_written_page(const char *page);
bool keel_written_block(size_t index);
size_t keel_written_page_bytes(void);

/* stats.c */
uint64_t keel_now_ns(void);
void keel_stats_print(void);

/* init.c */
size_t keel_parse_size(const char *name, const char *text);

#endif
