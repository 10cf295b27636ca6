/* Start-up and exit: the declared layouts, the environment variables, the heap, the stack maps;
 * at exit the surviving handles' destructors and the statistics.
 *
 *   KEEL_HEAP_MAX=SIZE   bound on nursery + old generation (bytes; K, M, G suffixes)
 *   KEEL_NURSERY=SIZE    a fixed nursery size (default: 1M, growing to KEEL_NURSERY_GROWN while minor
 *                        collections promote much: nursery.c; at most a quarter of KEEL_HEAP_MAX)
 *   KEEL_HANDLES=N       entries in the handle table (default 1024)
 *   KEEL_GC_STRESS=1     collect at every allocation (a full collection every 16th)
 *   KEEL_GC_VERIFY=1     check the heap after every collection (what changed since the last check:
 *                        verify.c); =full reads the whole heap every time
 *   KEEL_GC_STATS=1      print statistics at exit                              */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

size_t keel_parse_size(const char *name, const char *text) {
    char *end;
    if (text[0] < '0' || text[0] > '9') goto bad;
    unsigned long long n = strtoull(text, &end, 10);
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end != '\0' || n > (SIZE_MAX >> 2 >> shift)) goto bad;
    return (size_t)(n << shift);
bad:
    keel_fatal(KEEL_EXIT_MISUSE, "%s=%s: expected a size such as 65536, 512K, 64M or 2G", name, text);
}

static bool flag(const char *name) {
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void at_exit(void) {
    keel_handles_at_exit();
    if (keel_heap.stats) keel_stats_print();
}

void keel_init(void) {
    Heap *h = &keel_heap;
    if (h->initialized) return;
    keel_layouts_check(); /* before any allocation may trust a declaration */
    h->stress = flag("KEEL_GC_STRESS");
    h->verify = flag("KEEL_GC_VERIFY");
    h->verify_full = h->verify && strcmp(getenv("KEEL_GC_VERIFY"), "full") == 0;
    h->stats = flag("KEEL_GC_STATS");
    size_t nursery = (size_t)1 << 20, nursery_max = KEEL_NURSERY_GROWN;
    const char *text = getenv("KEEL_NURSERY");
    h->nursery_adaptive = text == NULL || *text == '\0';
    if (!h->nursery_adaptive) nursery = nursery_max = keel_parse_size("KEEL_NURSERY", text);
    text = getenv("KEEL_HEAP_MAX");
    if (text != NULL && *text != '\0') {
        h->heap_max = keel_parse_size("KEEL_HEAP_MAX", text);
        h->heap_max_set = true;
        h->heap_max_text = text;
        if (h->heap_max < 4 * KEEL_BLOCK_BYTES)
            keel_fatal(KEEL_EXIT_MISUSE, "KEEL_HEAP_MAX=%s: the heap needs at least %zu bytes", text, 4 * KEEL_BLOCK_BYTES);
        if (nursery > h->heap_max / 4) nursery = h->heap_max / 4;
        if (nursery_max > h->heap_max / 4) nursery_max = h->heap_max / 4;
    }
    if (!h->heap_max_set && nursery > ((size_t)256 << 20))
        keel_fatal(KEEL_EXIT_MISUSE, "KEEL_NURSERY=%s: at most 256M (or a quarter of KEEL_HEAP_MAX)", getenv("KEEL_NURSERY"));
    h->nursery_blocks = nursery_max >> KEEL_BLOCK_SHIFT;
    if (h->nursery_blocks == 0) h->nursery_blocks = 1;
    if (nursery < KEEL_BLOCK_BYTES) nursery = KEEL_BLOCK_BYTES;
    keel_heap_init(nursery & ~(KEEL_BLOCK_BYTES - 1));
    keel_handles_init();
    keel_stackmaps_init();
    if (h->verify && !h->verify_full) keel_written_init();
    keel_nursery.ptr = h->nursery_alloc_start = h->nursery_start;
    h->nursery_zeroed = h->nursery_end; /* fresh pages */
    h->initialized = true;
    keel_nursery_publish_limit();
    keel_note_peak();
    atexit(at_exit);
}
