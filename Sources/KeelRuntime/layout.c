/* Object layout: an object's size and which of its payload words are
 * references, from its layout descriptor (include/KeelRuntime.h). */
#include "internal.h"

const char *keel_layout_name(const KeelLayout *layout) {
    return layout && layout->name ? layout->name : "(unnamed)";
}

/* Rejects a layout or size the collector could not trace. */
void keel_check_layout(const KeelLayout *layout, uint64_t nwords) {
    if (layout == NULL)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc: layout is NULL");
    if (((uintptr_t)layout & 7) != 0 || layout->magic != KEEL_LAYOUT_MAGIC)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc: %p is not a layout descriptor (bad alignment or magic)", (const void *)layout);
    switch (layout->kind) {
    case KEEL_LAYOUT_RECORD:
        if (nwords != layout->nwords)
            keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc: layout %s has %u words, %llu requested",
                       keel_layout_name(layout), layout->nwords, (unsigned long long)nwords);
        break;
    case KEEL_LAYOUT_REFS:
    case KEEL_LAYOUT_BYTES:
    case KEEL_LAYOUT_HANDLE:
        break;
    default:
        keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc: layout %s has unknown kind %u", keel_layout_name(layout), layout->kind);
    }
    if (nwords > KEEL_MAX_NWORDS)
        keel_fatal(KEEL_EXIT_MISUSE, "keel_alloc: %llu words is more than one object may hold", (unsigned long long)nwords);
}

size_t keel_object_bytes(const void *object) {
    return KEEL_HEADER_BYTES + 8 * (size_t)keel_nwords(object);
}

void keel_visit_fields(void *object, const char *lo, const char *hi, SlotVisitor visit) {
    const KeelLayout *layout = *(const KeelLayout **)object;
    uint64_t *fields = keel_fields(object);
    uint64_t n = keel_nwords(object);
    uint64_t first = 0, end = n;
    /* Restrict [first, end) to the words inside [lo, hi). */
    if (lo > (char *)fields) first = (uint64_t)(lo - (char *)fields + 7) / 8;
    if (hi < (char *)(fields + n)) end = hi <= (char *)fields ? 0 : (uint64_t)(hi - (char *)fields + 7) / 8;
    if (first >= end) return;
    switch (layout->kind) {
    case KEEL_LAYOUT_RECORD:
        if (layout->refmap == NULL) return;
        for (uint64_t i = first; i < end; i++)
            if (layout->refmap[i / 64] >> (i % 64) & 1) visit(&fields[i]);
        break;
    case KEEL_LAYOUT_REFS:
        for (uint64_t i = first; i < end; i++) visit(&fields[i]);
        break;
    default:
        break;
    }
}

void keel_visit_all_fields(void *object, SlotVisitor visit) {
    keel_visit_fields(object, (const char *)0, (const char *)UINTPTR_MAX, visit);
}
