/* Handles: host resources (open files, native buffers) owned by GC objects.
 *
 * The handle table holds, per entry, the handle object (a weak reference: the
 * table does not keep it alive), the resource and its destructor; the handle
 * object holds its entry's index.  After every collection the entries whose
 * objects died are removed, their destructors queued, and the table compacted
 * (each moved entry's object learns its new index).  The queued destructors
 * run once the collection is over.  When the table is full, keel_handle_new
 * collects (minor, then major) and retries; it fails only when every entry is
 * still reachable.  A destructor runs at most once (its entry is cleared
 * first), never while its handle is reachable, and at exit for the survivors.
 * Destructors must not allocate. */
#include "internal.h"
#include <stdlib.h>

typedef struct Entry {
    uint64_t *object;          /* NULL once closed */
    void *resource;
    KeelDestructor destructor;
} Entry;

typedef struct Pending { void *resource; KeelDestructor destructor; } Pending;

static Entry *table;
static size_t capacity, count;
static Pending *pending;
static size_t pending_count;

#define CLOSED_INDEX UINT64_MAX

static const KeelLayout handle_layout = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_HANDLE, 0, 0, NULL, "handle"};

void keel_handles_init(void) {
    capacity = 1024;
    const char *text = getenv("KEEL_HANDLES");
    if (text != NULL && *text != '\0') {
        size_t n = keel_parse_size("KEEL_HANDLES", text);
        if (n == 0) keel_fatal(KEEL_EXIT_MISUSE, "KEEL_HANDLES=%s: the handle table needs at least one entry", text);
        capacity = n;
    }
    table = calloc(capacity, sizeof *table);
    pending = calloc(capacity, sizeof *pending);
    if (table == NULL || pending == NULL)
        keel_fatal(KEEL_EXIT_OUT_OF_MEMORY, "out of memory: a handle table of %zu entries", capacity);
}

size_t keel_handle_count(void) { return count; }

static void queue(Entry *e) {
    if (e->destructor != NULL) pending[pending_count++] = (Pending){e->resource, e->destructor};
    e->object = NULL;
    e->resource = NULL;
    e->destructor = NULL;
}

/* Removes closed and dead entries; moved entries' objects get their new index. */
static void compact(void) {
    size_t j = 0;
    for (size_t i = 0; i < count; i++) {
        if (table[i].object == NULL) continue;
        table[j] = table[i];
        keel_fields(table[j].object)[0] = j;
        j++;
    }
    count = j;
}

void keel_handles_after_minor(void) {
    for (size_t i = 0; i < count; i++) {
        uint64_t *object = table[i].object;
        if (object == NULL || !keel_in_nursery(object)) continue;
        if (object[0] & 1) table[i].object = (uint64_t *)(uintptr_t)(object[0] & ~(uint64_t)1);
        else queue(&table[i]);
    }
    compact();
}

void keel_handles_after_major(void) {
    for (size_t i = 0; i < count; i++) {
        uint64_t *object = table[i].object;
        if (object != NULL && !(object[1] & KEEL_GC_MARK)) queue(&table[i]);
    }
    compact();
}

void keel_handles_run_pending(void) {
    if (keel_heap.in_destructor) return;
    keel_heap.in_destructor = true;
    while (pending_count > 0) {
        Pending p = pending[--pending_count];
        keel_stats.handles_destroyed++;
        p.destructor(p.resource);
    }
    keel_heap.in_destructor = false;
}

void keel_handles_at_exit(void) {
    keel_handles_run_pending();
    for (size_t i = 0; i < count; i++)
        if (table[i].object != NULL) {
            keel_fields(table[i].object)[0] = CLOSED_INDEX;
            queue(&table[i]);
        }
    count = 0;
    keel_handles_run_pending();
}

void *keel_handle_new_impl(void *resource, KeelDestructor destructor) {
    if (!keel_heap.initialized) keel_init();
    if (keel_heap.in_destructor) keel_fatal(KEEL_EXIT_MISUSE, "keel_handle_new called from a handle destructor");
    if (count == capacity) compact();
    if (count == capacity) keel_collect_internal(false);
    if (count == capacity) keel_collect_internal(true);
    if (count == capacity)
        keel_fatal(KEEL_EXIT_HANDLES_FULL, "handle table full: all %zu handles are reachable after a full collection (set KEEL_HANDLES larger)", capacity);
    /* Allocating may collect, which only ever frees entries. */
    uint64_t *object = keel_alloc_impl(&handle_layout, 1);
    size_t index = count++;
    table[index] = (Entry){object, resource, destructor};
    keel_fields(object)[0] = index;
    return object;
}

static Entry *entry_of(void *handle, const char *who) {
    uint64_t *object = handle;
    if (object == NULL || ((uintptr_t)object & 7) != 0 || (const KeelLayout *)(uintptr_t)object[0] != &handle_layout)
        keel_fatal(KEEL_EXIT_MISUSE, "%s: %p is not a handle", who, handle);
    uint64_t index = keel_fields(object)[0];
    if (index == CLOSED_INDEX) return NULL;
    if (index >= count || table[index].object != object)
        keel_fatal(KEEL_EXIT_MISUSE, "%s: handle %p does not match its table entry (a stale copy of a moved handle?)", who, handle);
    return &table[index];
}

void *keel_handle_resource(void *handle) {
    Entry *e = entry_of(handle, "keel_handle_resource");
    return e ? e->resource : NULL;
}

void keel_handle_close(void *handle) {
    Entry *e = entry_of(handle, "keel_handle_close");
    if (e == NULL) return;
    keel_fields(handle)[0] = CLOSED_INDEX;
    queue(e);
    keel_handles_run_pending();
}

void keel_handles_visit_for_verify(void (*check)(void *object, const char *what)) {
    for (size_t i = 0; i < count; i++) {
        if (table[i].object == NULL) continue;
        check(table[i].object, "handle table entry");
        if (keel_fields(table[i].object)[0] != i)
            keel_fatal(KEEL_EXIT_MISUSE, "GC verify: handle %p records index %llu, its entry is %zu",
                       (void *)table[i].object, (unsigned long long)keel_fields(table[i].object)[0], i);
    }
}
