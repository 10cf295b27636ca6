/* Array maps: up to 8 entries as [k0, v0, k1, v1...] in insertion order, as
 * Clojure's PersistentArrayMap.  Small maps are the common case, and a
 * linear search of 8 keys beats hashing them; they print in insertion order.
 * Adding a ninth key makes a hash map (maps.c), which never goes back.
 *
 * Functions that allocate keep their references in root scopes. */
#include "KeelLisp.h"

#define ROOT(v) keel_root(&(v))
#define OBJ(v) ((void *)(uintptr_t)(v))

enum { MAX_ENTRIES = 8 };

int64_t kl_array_map_index(kl_value m, kl_value key) {
    uint32_t n = kl_count_words(m);
    for (uint32_t i = 0; i < n; i += 2)
        if (kl_key_equiv(kl_words(m)[i], key)) return i;
    return -1;
}

kl_value kl_array_map_assoc(kl_value m, kl_value key, kl_value value) {
    int64_t i = kl_array_map_index(m, key);
    if (i >= 0 && kl_words(m)[i + 1] == value) return m;
    size_t mark = keel_roots_mark();
    kl_value result = KL_NIL;
    ROOT(m);
    ROOT(key);
    ROOT(value);
    ROOT(result);
    uint32_t n = kl_count_words(m);
    if (i < 0 && n / 2 >= MAX_ENTRIES) {
        /* A ninth key: the entries move into a hash map. */
        result = kl_empty_hash_map();
        for (uint32_t j = 0; j < n; j += 2) result = kl_map_assoc(result, kl_words(m)[j], kl_words(m)[j + 1]);
        result = kl_map_assoc(result, key, value);
    } else {
        result = (kl_value)(uintptr_t)kl_alloc(&kl_map_layout, i < 0 ? n + 2 : n);
        for (uint32_t j = 0; j < n; j++) keel_store(OBJ(result), j, OBJ(kl_words(m)[j]));
        if (i < 0) {
            keel_store(OBJ(result), n, OBJ(key));
            keel_store(OBJ(result), n + 1, OBJ(value));
        } else {
            keel_store(OBJ(result), (uint64_t)i + 1, OBJ(value));
        }
    }
    keel_roots_release(mark);
    return result;
}

/* The map without `key`, the others staying in their order. */
kl_value kl_array_map_without(kl_value m, kl_value key) {
    int64_t i = kl_array_map_index(m, key);
    if (i < 0) return m;
    size_t mark = keel_roots_mark();
    ROOT(m);
    uint32_t n = kl_count_words(m);
    kl_value result = (kl_value)(uintptr_t)kl_alloc(&kl_map_layout, n - 2);
    for (uint32_t j = 0, k = 0; j < n; j++)
        if (j != i && j != i + 1) keel_store(OBJ(result), k++, OBJ(kl_words(m)[j]));
    keel_roots_release(mark);
    return result;
}
