/* The runtime's allocation and minor-collection costs, in C (before the
 * backend emits the same fast path).  Run by Benchmarks/gc-runtime.sh.
 *
 *   1. 10^8 short-lived 40-byte objects through keel_alloc_fast, against
 *      malloc + free of the same size.
 *   2. Minor-collection pause against the number of survivors (nursery fixed),
 *      and against the amount of garbage (survivors fixed, nursery varied by
 *      filling only part of it): it must follow the survivors.
 *   3. Peak RSS. */
#define _POSIX_C_SOURCE 200809L
#include "KeelRuntime.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static const uint64_t cons_refs[] = {0x3};
static const KeelLayout cons_layout = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_RECORD, 3, 0, cons_refs, "cons"};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One minor collection after allocating `garbage` bytes of dead conses and
 * `survivors` conses reachable from a root list; returns its pause in µs. */
static double minor_pause(long survivors, long garbage) {
    void *list = NULL;
    size_t mark = keel_roots_mark();
    keel_root(&list);
    keel_collect(1); /* start from an empty nursery */
    for (long i = 0; i < survivors; i++) {
        uint64_t *c = keel_alloc_fast(&cons_layout, 3);
        c[3] = (uint64_t)(uintptr_t)list; /* cdr; c is young: no barrier needed */
        list = c;
    }
    for (long b = 0; b < garbage; b += 40) keel_alloc_fast(&cons_layout, 3);
    double t0 = now();
    keel_collect(0);
    double pause = (now() - t0) * 1e6;
    keel_roots_release(mark);
    return pause;
}

static double best_pause(long survivors, long garbage) {
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double p = minor_pause(survivors, garbage);
        if (p < best) best = p;
    }
    return best;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000000;
    double t0 = now();
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        uint64_t *c = keel_alloc_fast(&cons_layout, 3);
        c[4] = (uint64_t)i;
        sum += c[4];
    }
    double t1 = now();
    for (long i = 0; i < n; i++) {
        uint64_t *c = malloc(40);
        c[4] = (uint64_t)i;
        __asm__ volatile("" : : "r"(c) : "memory");
        sum += c[4];
        free(c);
    }
    double t2 = now();
    printf("allocation: keel %.2f ns, malloc+free %.2f ns per 40-byte object (%ld objects, checksum %llu)\n",
           (t1 - t0) / (double)n * 1e9, (t2 - t1) / (double)n * 1e9, n, (unsigned long long)sum);
    /* The nursery is KEEL_NURSERY (the script sets 16M). */
    printf("minor pause against survivors (garbage fixed at 8 MB):\n");
    long counts[] = {0, 1000, 10000, 100000};
    for (int i = 0; i < 4; i++) printf("  %7ld survivors: %8.1f us\n", counts[i], best_pause(counts[i], 8l << 20));
    printf("minor pause against garbage (1000 survivors):\n");
    long garbage[] = {1l << 20, 4l << 20, 12l << 20};
    for (int i = 0; i < 3; i++) printf("  %5ld MB garbage: %8.1f us\n", garbage[i] >> 20, best_pause(1000, garbage[i]));
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    printf("peak RSS %ld KB\n", u.ru_maxrss);
    return 0;
}
