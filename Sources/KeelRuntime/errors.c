/* Fatal errors: one line on stderr starting "keel: ", then exit with a
 * documented status (include/KeelRuntime.h).  The runtime never aborts on a
 * condition it can detect. */
#include "internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void keel_fatal(int status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("keel: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    fflush(stdout);
    /* _exit-like: atexit handlers (destructors, statistics) would touch a heap
     * that may be inconsistent here. */
    fflush(stderr);
    _Exit(status);
}

void keel_out_of_memory(size_t requested) {
    if (requested == 0)
        keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: the live objects exceed KEEL_HEAP_MAX=%s (%zu bytes in use after a full collection)",
                   keel_heap.heap_max_text ? keel_heap.heap_max_text : "(the reservation)", keel_heap_in_use());
    if (keel_heap.heap_max_set)
        keel_fatal(KEEL_EXIT_OUT_OF_MEMORY,
                   "out of memory: %zu more bytes would exceed KEEL_HEAP_MAX=%s (%zu bytes in use after a full collection)",
                   requested, keel_heap.heap_max_text, keel_heap_in_use());
    keel_fatal(KEEL_EXIT_OUT_OF_MEMORY,
               "out of memory: %zu more bytes do not fit the heap's %zu-byte address reservation (%zu bytes in use); set KEEL_HEAP_MAX larger",
               requested, keel_heap.reserve_bytes, keel_heap_in_use());
}
