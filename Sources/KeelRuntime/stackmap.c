/* The stack-map walker (docs/stack-maps.md defines the format).
 *
 * Compiled code lists, for each call that may collect, the rbp-relative frame
 * slots holding live references, keyed by the call's return address, in the
 * section keel_stackmaps; the linker concatenates every object's part and
 * defines __start_keel_stackmaps / __stop_keel_stackmaps around it.  At start
 * the runtime reads all entries into an array sorted by return address;
 * code loaded later (the KeelLisp REPL) adds its own with keel_stackmaps_add.
 *
 * A runtime entry stub (entry.c) records the rbp and the return address of its
 * caller.  The walk starts there: while the return address has a map, visit
 * the listed slots of that frame, then step to the caller through the saved
 * rbp ([rbp]) and return address ([rbp + 8]).  The first return address
 * without a map (C code, the program's entry) ends the walk.
 *
 * On AArch64 "rbp" is x29: compiled code and the entry stubs keep a frame
 * record at x29 ([x29] = the caller's x29, [x29 + 8] = the return address,
 * the value x30 had at the call), the same shape as the rbp frame, so one walk
 * serves both; the offsets of the maps are x29-relative there. */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

__attribute__((visibility("hidden"))) uintptr_t keel_entry_rbp, keel_entry_ret;

extern const char __start_keel_stackmaps[] __attribute__((weak));
extern const char __stop_keel_stackmaps[] __attribute__((weak));

typedef struct Map {
    uintptr_t ret;
    const int32_t *slots;
    uint32_t count;
} Map;

static Map *maps;
static size_t map_count, map_capacity;

static int by_address(const void *a, const void *b) {
    uintptr_t x = ((const Map *)a)->ret, y = ((const Map *)b)->ret;
    return x < y ? -1 : x > y;
}

/* Appends the maps in [p, end) (a keel_stackmaps section's contents). */
static void read_maps(const char *p, const char *end) {
    while (p + 4 <= end) {
        int32_t rel;
        memcpy(&rel, p, 4);
        if (rel == 0) { p += 4; continue; } /* alignment padding between objects */
        if (p + 8 > end)
            keel_fatal(KEEL_EXIT_MISUSE, "stack map at %p: truncated header", (const void *)p);
        uint16_t count, flags;
        memcpy(&count, p + 4, 2);
        memcpy(&flags, p + 6, 2);
        if (flags != 0)
            keel_fatal(KEEL_EXIT_MISUSE, "stack map at %p: unknown flags %#x (format version mismatch?)", (const void *)p, flags);
        if (p + 8 + 4 * (size_t)count > end)
            keel_fatal(KEEL_EXIT_MISUSE, "stack map at %p: %u slots run past the section's end", (const void *)p, count);
        if (map_count == map_capacity) {
            map_capacity = map_capacity ? 2 * map_capacity : 256;
            Map *grown = realloc(maps, map_capacity * sizeof *maps);
            if (grown == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot load the stack maps");
            maps = grown;
        }
        maps[map_count++] = (Map){(uintptr_t)p + (uintptr_t)(intptr_t)rel, (const int32_t *)(const void *)(p + 8), count};
        p += 8 + 4 * (size_t)count;
    }
    qsort(maps, map_count, sizeof *maps, by_address);
    for (size_t i = 1; i < map_count; i++)
        if (maps[i].ret == maps[i - 1].ret)
            keel_fatal(KEEL_EXIT_MISUSE, "two stack maps for return address %p", (void *)maps[i].ret);
}

void keel_stackmaps_init(void) {
    if (__start_keel_stackmaps != NULL && __stop_keel_stackmaps != NULL)
        read_maps(__start_keel_stackmaps, __stop_keel_stackmaps);
}

void keel_stackmaps_add(const void *start, const void *end) { read_maps(start, end); }

static const Map *find(uintptr_t ret) {
    size_t lo = 0, hi = map_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (maps[mid].ret < ret) lo = mid + 1;
        else hi = mid;
    }
    return lo < map_count && maps[lo].ret == ret ? &maps[lo] : NULL;
}

void keel_visit_stack(SlotVisitor visit) {
    uintptr_t rbp = keel_entry_rbp, ret = keel_entry_ret;
    const Map *m = find(ret);
    while (m != NULL) {
        if (rbp == 0 || (rbp & 7) != 0)
            keel_fatal(KEEL_EXIT_MISUSE, "stack walk: frame of return address %p has rbp %p (not a frame pointer)", (void *)ret, (void *)rbp);
        for (uint32_t i = 0; i < m->count; i++) {
            int32_t offset = m->slots[i];
            if ((offset & 7) != 0)
                keel_fatal(KEEL_EXIT_MISUSE, "stack map of %p: slot offset %d is not 8-byte aligned", (void *)ret, offset);
            visit((uint64_t *)(rbp + (uintptr_t)(intptr_t)offset));
        }
        uintptr_t caller_rbp = ((uintptr_t *)rbp)[0];
        ret = ((uintptr_t *)rbp)[1];
        m = find(ret);
        if (m != NULL && caller_rbp <= rbp)
            keel_fatal(KEEL_EXIT_MISUSE, "stack walk: caller frame %p is not above frame %p (corrupt rbp chain)", (void *)caller_rbp, (void *)rbp);
        rbp = caller_rbp;
    }
}
