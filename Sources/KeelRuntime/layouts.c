/* The start-up check of declared layouts (docs/il-extensions.md, "Declared
 * layouts").
 *
 * A module may declare a layout it does not define (the KeelLisp runtime's
 * vectors, closures, boxed doubles) in the section keel_layouts, as triples
 * of 8-byte words { layout address, kind, payload words }; compiled code
 * then writes the header of such an object inline, trusting the
 * declaration.  keel_init runs before the first allocation (the inline path
 * falls back to keel_alloc until the nursery has a limit), so comparing
 * every triple with the layout it names here means no object is ever built
 * from a declaration that lies.  The linker concatenates every object's
 * part and defines __start_keel_layouts / __stop_keel_layouts around it. */
#include "internal.h"

extern const uint64_t __start_keel_layouts[] __attribute__((weak));
extern const uint64_t __stop_keel_layouts[] __attribute__((weak));

static const char *kind_name(uint64_t kind) {
    switch (kind) {
    case KEEL_LAYOUT_RECORD: return "RECORD";
    case KEEL_LAYOUT_REFS: return "REFS";
    case KEEL_LAYOUT_BYTES: return "BYTES";
    default: return "unknown";
    }
}

/* Ends the program when the triple at p does not describe its layout. */
static void check(const uint64_t *p) {
    const KeelLayout *layout = (const KeelLayout *)(uintptr_t)p[0];
    uint64_t kind = p[1], words = p[2];
    if (((uintptr_t)layout & 7) != 0 || layout->magic != KEEL_LAYOUT_MAGIC)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_layouts declares %p as a layout (kind %llu, %s), but it is not a layout descriptor (bad alignment or magic)",
                   (const void *)layout, (unsigned long long)kind, kind_name(kind));
    if (layout->kind != kind || layout->nwords != words)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_layouts declares layout %s as kind %llu (%s) with %llu words, but it is kind %u (%s) with %u words: compiled code would write headers the collector misreads",
                   keel_layout_name(layout), (unsigned long long)kind, kind_name(kind), (unsigned long long)words,
                   layout->kind, kind_name(layout->kind), layout->nwords);
}

void keel_layouts_check(void) {
    if (__start_keel_layouts == NULL || __stop_keel_layouts == NULL) return;
    const uint64_t *p = __start_keel_layouts;
    while (p < __stop_keel_layouts) {
        if (*p == 0) { p++; continue; } /* alignment padding between objects */
        if (p + 3 > __stop_keel_layouts)
            keel_fatal(KEEL_EXIT_MISUSE, "keel_layouts: a declaration at %p runs past the section's end", (const void *)p);
        check(p);
        p += 3;
    }
}
