/* Clojure's `=`: numbers by value within a category (1 and 1.0 differ),
 * strings by content, keywords by identity (interned), symbols by name,
 * lists and vectors by their items in order (a list equals a vector with the
 * same items), maps by their entries and sets by their members regardless
 * of order and of representation (an array map equals a hash map with the
 * same entries).  Never collects. */
#include <string.h>
#include "KeelLisp.h"

static int is_sequential(kl_value v) {
    return v == KL_EMPTY_LIST || kl_layout(v) == &kl_cons_layout || kl_is_vector(v);
}

/* The next item of a sequential collection: vectors by index, lists by cursor. */
static kl_value next_item(kl_value coll, kl_value *cursor, int64_t *index) {
    if (kl_is_vector(coll)) return kl_vector_nth(coll, (*index)++);
    kl_value item = kl_words(*cursor)[0];
    *cursor = kl_words(*cursor)[1];
    return item;
}

static int sequential_equiv(kl_value a, kl_value b) {
    int64_t n = kl_count_of(a);
    if (n != kl_count_of(b)) return 0;
    kl_value ca = a, cb = b;
    int64_t ia = 0, ib = 0;
    for (int64_t i = 0; i < n; i++)
        if (!kl_equiv(next_item(a, &ca, &ia), next_item(b, &cb, &ib))) return 0;
    return 1;
}

/* Maps (or sets) with as many entries, each of a's found in b with an equal value. */
static int entries_equiv(kl_value a, kl_value b, int compare_values) {
    if (kl_map_count(a) != kl_map_count(b)) return 0;
    KlIter it;
    kl_value key, value, other;
    for (kl_iter_start(&it, a); kl_iter_next(&it, &key, &value);)
        if (!kl_map_find(b, key, &other) || (compare_values && !kl_equiv(value, other))) return 0;
    return 1;
}

int kl_equiv(kl_value a, kl_value b) {
    if (a == b) return 1;
    int64_t x, y;
    if (kl_long_value(a, &x)) return kl_long_value(b, &y) && x == y;
    const KeelLayout *la = kl_layout(a), *lb = kl_layout(b);
    if (la == &kl_double_layout) return lb == &kl_double_layout && kl_double_value(a) == kl_double_value(b);
    if (is_sequential(a)) return is_sequential(b) && sequential_equiv(a, b);
    if (kl_is_map(a)) return kl_is_map(b) && entries_equiv(a, b, 1);
    if (kl_is_set(a)) return kl_is_set(b) && entries_equiv(a, b, 0);
    if (la == NULL || la != lb) return 0;
    if (la == &kl_string_layout)
        return kl_string_length(a) == kl_string_length(b)
               && memcmp(kl_string_bytes(a), kl_string_bytes(b), (size_t)kl_string_length(a)) == 0;
    if (la == &kl_symbol_layout) return kl_equiv(kl_words(a)[0], kl_words(b)[0]);
    return 0;
}
