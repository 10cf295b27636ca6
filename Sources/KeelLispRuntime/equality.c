/* Clojure's `=`: numbers by value within a category (1 and 1.0 differ),
 * strings by content, keywords by identity (interned), symbols by name,
 * lists and vectors by their items in order (a list equals a vector with the
 * same items), maps by their entries and sets by their members regardless
 * of order.  Never collects. */
#include <string.h>
#include "KeelLisp.h"

static int is_sequential(kl_value v) {
    const KeelLayout *l = kl_layout(v);
    return v == KL_EMPTY_LIST || l == &kl_cons_layout || l == &kl_vector_layout;
}

/* The i-th item of a sequential collection walked by `cursor`. */
static kl_value next_item(kl_value coll, kl_value *cursor, uint32_t *index) {
    if (kl_layout(coll) == &kl_vector_layout) return kl_words(coll)[(*index)++];
    kl_value item = kl_words(*cursor)[0];
    *cursor = kl_words(*cursor)[1];
    return item;
}

static int sequential_equiv(kl_value a, kl_value b) {
    int64_t n = kl_count_of(a);
    if (n != kl_count_of(b)) return 0;
    kl_value ca = a, cb = b;
    uint32_t ia = 0, ib = 0;
    for (int64_t i = 0; i < n; i++)
        if (!kl_equiv(next_item(a, &ca, &ia), next_item(b, &cb, &ib))) return 0;
    return 1;
}

int kl_get_entry(kl_value map, kl_value key, kl_value *value) {
    uint32_t n = kl_count_words(map);
    for (uint32_t i = 0; i < n; i += 2)
        if (kl_equiv(kl_words(map)[i], key)) { *value = kl_words(map)[i + 1]; return 1; }
    return 0;
}

static int contains_item(kl_value set, kl_value x) {
    uint32_t n = kl_count_words(set);
    for (uint32_t i = 0; i < n; i++)
        if (kl_equiv(kl_words(set)[i], x)) return 1;
    return 0;
}

int kl_equiv(kl_value a, kl_value b) {
    if (a == b) return 1;
    int64_t x, y;
    if (kl_long_value(a, &x)) return kl_long_value(b, &y) && x == y;
    const KeelLayout *la = kl_layout(a), *lb = kl_layout(b);
    if (la == &kl_double_layout) return lb == &kl_double_layout && kl_double_value(a) == kl_double_value(b);
    if (is_sequential(a)) return is_sequential(b) && sequential_equiv(a, b);
    if (la == NULL || la != lb) return 0;
    if (la == &kl_string_layout)
        return kl_string_length(a) == kl_string_length(b)
               && memcmp(kl_string_bytes(a), kl_string_bytes(b), (size_t)kl_string_length(a)) == 0;
    if (la == &kl_symbol_layout) return kl_equiv(kl_words(a)[0], kl_words(b)[0]);
    if (la == &kl_map_layout) {
        if (kl_count_words(a) != kl_count_words(b)) return 0;
        for (uint32_t i = 0; i < kl_count_words(a); i += 2) {
            kl_value v;
            if (!kl_get_entry(b, kl_words(a)[i], &v) || !kl_equiv(kl_words(a)[i + 1], v)) return 0;
        }
        return 1;
    }
    if (la == &kl_set_layout) {
        if (kl_count_words(a) != kl_count_words(b)) return 0;
        for (uint32_t i = 0; i < kl_count_words(a); i++)
            if (!contains_item(b, kl_words(a)[i])) return 0;
        return 1;
    }
    return 0;
}
