/* KEEL_GC_STATS=1: a summary on stderr at exit. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include <stdio.h>
#include <time.h>

Stats keel_stats;

uint64_t keel_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void keel_stats_print(void) {
    Stats *s = &keel_stats;
    uint64_t allocated = s->bytes_allocated + (uint64_t)(keel_nursery.ptr - keel_heap.nursery_alloc_start);
    fprintf(stderr,
            "keel gc: %llu minor collections, %llu major\n"
            "keel gc: %llu bytes allocated, %llu promoted\n"
            "keel gc: peak heap %llu bytes\n"
            "keel gc: longest pause %.3f ms, total %.3f ms\n"
            "keel gc: %llu handle destructors run\n",
            (unsigned long long)s->minor, (unsigned long long)s->major, (unsigned long long)allocated,
            (unsigned long long)s->bytes_promoted, (unsigned long long)s->peak_heap, s->longest_pause_ns / 1e6,
            s->total_pause_ns / 1e6, (unsigned long long)s->handles_destroyed);
}
