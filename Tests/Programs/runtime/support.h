/* Shared by the runtime's C test programs: a few layouts and helpers. */
#ifndef KEEL_TEST_SUPPORT_H
#define KEEL_TEST_SUPPORT_H
#include "KeelRuntime.h"
#include <stdio.h>
#include <stdlib.h>

/* cons: word 0 car (reference), word 1 cdr (reference), word 2 an integer. */
static const uint64_t cons_refs[] = {0x3};
const KeelLayout cons_layout = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_RECORD, 3, 0, cons_refs, "cons"};
/* vector: every word a reference. */
const KeelLayout vector_layout = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_REFS, 0, 0, NULL, "vector"};
/* bytes: no references. */
const KeelLayout bytes_layout = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_BYTES, 0, 0, NULL, "bytes"};

#define CAR(o) (((void **)keel_fields(o))[0])
#define CDR(o) (((void **)keel_fields(o))[1])
#define VALUE(o) (((int64_t *)keel_fields(o))[2])

/* cons(car, cdr, value); car and cdr stay valid across the allocation. */
static inline void *cons(void *car, void *cdr, int64_t value) {
    size_t mark = keel_roots_mark();
    keel_root(&car);
    keel_root(&cdr);
    void *cell = keel_alloc_fast(&cons_layout, 3);
    keel_roots_release(mark);
    keel_store(cell, 0, car);
    keel_store(cell, 1, cdr);
    VALUE(cell) = value;
    return cell;
}

static inline void check(int ok, const char *what) {
    if (!ok) {
        printf("FAILED: %s\n", what);
        exit(1);
    }
}
#endif
