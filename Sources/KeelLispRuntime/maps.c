/* Maps: array maps (array_map.c) of up to 8 entries, hash maps (a record
 * {count, root} over a hash trie, hamt.c) beyond; and iteration over maps
 * and sets.  Equality and hashing (equality.c, hash.c) do not depend on the
 * representation: an array map equals a hash map with the same entries.
 *
 * Functions that allocate keep their references in root scopes. */
#include "KeelLisp.h"

#define ROOT(v) keel_root(&(v))
#define OBJ(v) ((void *)(uintptr_t)(v))

enum { RECORD_BYTES = KEEL_HEADER_BYTES + 16 };

/* A record in the nursery's room (kl_nursery_has_room(RECORD_BYTES)): its
 * allocation cannot collect, so no root scope, and it is a nursery object,
 * so no barrier. */
static inline kl_value record_in_room(const KeelLayout *layout, int64_t count, kl_value root) {
    kl_value r = (kl_value)(uintptr_t)kl_alloc(layout, 2);
    kl_words(r)[0] = kl_fixnum(count);
    kl_words(r)[1] = root;
    return r;
}

/* A hash map or set record. */
kl_value kl_hamt_record(const KeelLayout *layout, int64_t count, kl_value root) {
    if (kl_nursery_has_room(RECORD_BYTES)) return record_in_room(layout, count, root);
    size_t mark = keel_roots_mark();
    ROOT(root);
    kl_value r = (kl_value)(uintptr_t)kl_alloc(layout, 2);
    kl_words(r)[0] = kl_fixnum(count);
    keel_store(OBJ(r), 1, OBJ(root));
    keel_roots_release(mark);
    return r;
}

kl_value kl_empty_hash_map(void) { return kl_hamt_record(&kl_hash_map_layout, 0, KL_NIL); }

int64_t kl_map_count(kl_value m) {
    return kl_layout(m) == &kl_map_layout ? kl_count_words(m) / 2 : kl_fixnum_value(kl_words(m)[0]);
}

kl_value kl_map_assoc(kl_value m, kl_value key, kl_value value) {
    if (m == KL_NIL) {
        size_t mark = keel_roots_mark();
        ROOT(key);
        ROOT(value);
        m = (kl_value)(uintptr_t)kl_alloc(&kl_map_layout, 0);
        keel_roots_release(mark);
    }
    if (kl_layout(m) == &kl_map_layout) return kl_array_map_assoc(m, key, value);
    uint32_t hash = kl_hash_key(key);
    int added;
    if (kl_hamt_can_skip_roots(kl_words(m)[1], hash, key, RECORD_BYTES)) {
        kl_value root = kl_hamt_assoc(kl_words(m)[1], hash, key, value, &added, 1);
        if (root != KL_UNBOUND) {
            if (root != kl_words(m)[1]) m = record_in_room(kl_layout(m), kl_fixnum_value(kl_words(m)[0]) + added, root);
            return m;
        }
    }
    size_t mark = keel_roots_mark();
    ROOT(m);
    kl_value root = kl_hamt_assoc(kl_words(m)[1], hash, key, value, &added, 0);
    if (root != kl_words(m)[1]) m = kl_hamt_record(kl_layout(m), kl_fixnum_value(kl_words(m)[0]) + added, root);
    keel_roots_release(mark);
    return m;
}

/* Works on sets too (their tries are the same). */
kl_value kl_map_without(kl_value m, kl_value key) {
    if (kl_layout(m) == &kl_map_layout) return kl_array_map_without(m, key);
    uint32_t hash = kl_hash_key(key);
    if (kl_hamt_can_skip_roots(kl_words(m)[1], hash, key, RECORD_BYTES)) {
        kl_value root = kl_hamt_without(kl_words(m)[1], hash, key, 1);
        if (root != KL_UNBOUND) {
            if (root != kl_words(m)[1]) m = record_in_room(kl_layout(m), kl_fixnum_value(kl_words(m)[0]) - 1, root);
            return m;
        }
    }
    size_t mark = keel_roots_mark();
    ROOT(m);
    kl_value root = kl_hamt_without(kl_words(m)[1], hash, key, 0);
    if (root != kl_words(m)[1]) m = kl_hamt_record(kl_layout(m), kl_fixnum_value(kl_words(m)[0]) - 1, root);
    keel_roots_release(mark);
    return m;
}

/* Enters trie node `node` (whose first word is its bitmap, hash or count). */
static void iter_push(KlIter *it, kl_value node) {
    it->depth++;
    it->node[it->depth] = node;
    it->pos[it->depth] = 1;
}

void kl_iter_start(KlIter *it, kl_value coll) {
    it->coll = coll;
    it->index = 0;
    it->depth = -1;
    if (kl_layout(coll) != &kl_map_layout && kl_words(coll)[1] != KL_NIL) iter_push(it, kl_words(coll)[1]);
}

int kl_iter_next(KlIter *it, kl_value *key, kl_value *value) {
    if (kl_layout(it->coll) == &kl_map_layout) {
        if (it->index >= kl_count_words(it->coll)) return 0;
        *key = kl_words(it->coll)[it->index];
        *value = kl_words(it->coll)[it->index + 1];
        it->index += 2;
        return 1;
    }
    while (it->depth >= 0) {
        kl_value node = it->node[it->depth];
        uint32_t p = it->pos[it->depth];
        if (p >= kl_count_words(node)) { it->depth--; continue; }
        if (kl_layout(node) == &kl_harray_layout) {
            it->pos[it->depth] = p + 1;
            if (kl_words(node)[p] != KL_NIL) iter_push(it, kl_words(node)[p]);
            continue;
        }
        it->pos[it->depth] = p + 2;
        kl_value k = kl_words(node)[p], v = kl_words(node)[p + 1];
        if (k == KL_UNBOUND) {
            iter_push(it, v);
            continue;
        }
        *key = k;
        *value = v;
        return 1;
    }
    return 0;
}
