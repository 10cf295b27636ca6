/* Roots other than the stack: the root scopes of C code (addresses of local
 * reference variables, pushed and released in LIFO order), global references
 * registered by keel_global_roots, and those listed by compiled modules in the
 * keel_globals section (8-byte absolute addresses of 8-byte global cells). */
#include "internal.h"
#include <stdlib.h>

static uint64_t **scope;
static size_t scope_count, scope_capacity;

typedef struct GlobalRange { void **addresses; size_t count; } GlobalRange;
static GlobalRange *globals;
static size_t global_count, global_capacity;

extern uint64_t *__start_keel_globals[] __attribute__((weak));
extern uint64_t *__stop_keel_globals[] __attribute__((weak));

size_t keel_roots_mark(void) { return scope_count; }

void keel_root(void *address_of_reference) {
    if (address_of_reference == NULL || ((uintptr_t)address_of_reference & 7) != 0)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_root: %p is not the address of an 8-byte reference variable", address_of_reference);
    if (scope_count == scope_capacity) {
        size_t capacity = scope_capacity ? 2 * scope_capacity : 256;
        uint64_t **grown = realloc(scope, capacity * sizeof *scope);
        if (grown == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot grow the root scope to %zu entries", capacity);
        scope = grown;
        scope_capacity = capacity;
    }
    scope[scope_count++] = address_of_reference;
}

void keel_roots_release(size_t mark) {
    if (mark > scope_count)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_roots_release: mark %zu is above the %zu roots registered (released twice?)", mark, scope_count);
    scope_count = mark;
}

void keel_global_roots(void **addresses, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (addresses[i] == NULL || ((uintptr_t)addresses[i] & 7) != 0)
            keel_fatal(KEEL_EXIT_MISUSE, "keel_global_roots: entry %zu (%p) is not the address of an 8-byte reference variable", i, addresses[i]);
    if (global_count == global_capacity) {
        size_t capacity = global_capacity ? 2 * global_capacity : 16;
        GlobalRange *grown = realloc(globals, capacity * sizeof *globals);
        if (grown == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot register global roots");
        globals = grown;
        global_capacity = capacity;
    }
    // A copy: the caller's array may be a temporary (a stack array, say).
    void **copy = malloc((count ? count : 1) * sizeof *copy);
    if (copy == NULL) keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: cannot register global roots");
    for (size_t i = 0; i < count; i++) copy[i] = addresses[i];
    globals[global_count++] = (GlobalRange){copy, count};
}

void keel_visit_roots(SlotVisitor visit) {
    for (size_t i = 0; i < scope_count; i++) visit(scope[i]);
    for (size_t g = 0; g < global_count; g++)
        for (size_t i = 0; i < globals[g].count; i++) visit((uint64_t *)globals[g].addresses[i]);
    if (__start_keel_globals != NULL)
        for (uint64_t **p = __start_keel_globals; p < __stop_keel_globals; p++)
            if (*p != NULL) visit(*p);
    keel_visit_stack(visit);
}
