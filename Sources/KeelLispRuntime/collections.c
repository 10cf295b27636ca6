/* The collection functions compiled code calls (count, seq, first, rest,
 * conj, assoc, dissoc, get, nth, ...): each checks its arguments' types and
 * dispatches to lists (cons cells, here), vectors (vector.c), maps
 * (array_map.c, maps.c) and sets (sets.c).
 *
 * Functions that allocate keep their arguments in root scopes: the collector
 * moves objects, and a C local is not in any stack map. */
#include <string.h>
#include "KeelLisp.h"

#define ROOT(v) keel_root(&(v))
#define OBJ(v) ((void *)(uintptr_t)(v))

static kl_value alloc_items(const KeelLayout *layout, uint32_t n) {
    return (kl_value)(uintptr_t)kl_alloc(layout, n);
}

static int is_list(kl_value v) { return v == KL_EMPTY_LIST || kl_layout(v) == &kl_cons_layout; }
static int is_collection(kl_value v) { return kl_is_vector(v) || kl_is_map(v) || kl_is_set(v); }

static kl_value make_cons(kl_value first, kl_value rest) {
    size_t mark = keel_roots_mark();
    ROOT(first);
    ROOT(rest);
    kl_value c = alloc_items(&kl_cons_layout, 3);
    keel_store(OBJ(c), 0, OBJ(first));
    keel_store(OBJ(c), 1, OBJ(rest));
    int64_t n = rest == KL_EMPTY_LIST ? 0 : kl_fixnum_value(kl_words(rest)[2]);
    kl_words(c)[2] = kl_fixnum(n + 1);
    keel_roots_release(mark);
    return c;
}

/* A map entry: the vector [key value]. */
static kl_value map_entry(kl_value key, kl_value value) {
    size_t mark = keel_roots_mark();
    ROOT(key);
    ROOT(value);
    kl_value entry = alloc_items(&kl_vector_layout, 2);
    keel_store(OBJ(entry), 0, OBJ(key));
    keel_store(OBJ(entry), 1, OBJ(value));
    keel_roots_release(mark);
    return entry;
}

int64_t kl_count_of(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return 0;
    const KeelLayout *l = kl_layout(coll);
    if (l == &kl_cons_layout) return kl_fixnum_value(kl_words(coll)[2]);
    if (kl_is_vector(coll)) return kl_vector_count(coll);
    if (kl_is_map(coll) || kl_is_set(coll)) return kl_map_count(coll);
    if (l == &kl_string_layout) return kl_utf8_count(kl_string_bytes(coll), kl_string_length(coll));
    if (kl_is_array(coll)) return kl_array_length(coll);
    kl_error("UnsupportedOperationException", "count not supported on this type: %s", kl_type_name(coll));
}

kl_value kl_count(kl_value coll) { return kl_fixnum(kl_count_of(coll)); }
int kl_empty_p(kl_value coll) { return kl_count_of(coll) == 0; }

/* The keys and values (k0, v0, k1, v1...) of a map, or the members of a set,
 * copied into one fresh object: iterating a trie holds raw pointers, so the
 * items are taken out before anything else allocates. */
static kl_value snapshot(kl_value coll) {
    size_t mark = keel_roots_mark();
    ROOT(coll);
    int pairs = kl_is_map(coll);
    int64_t n = kl_map_count(coll);
    kl_value items = alloc_items(&kl_vector_layout, (uint32_t)(pairs ? 2 * n : n));
    KlIter it;
    kl_value key, value;
    uint32_t i = 0;
    for (kl_iter_start(&it, coll); kl_iter_next(&it, &key, &value);) {
        keel_store(OBJ(items), i++, OBJ(key));
        if (pairs) keel_store(OBJ(items), i++, OBJ(value));
    }
    keel_roots_release(mark);
    return items;
}

/* A list of the items of a vector, map (entries as [k v]) or set, from the
 * `from`-th on. */
static kl_value list_of_items(kl_value coll, int64_t from) {
    size_t mark = keel_roots_mark();
    kl_value list = KL_EMPTY_LIST, entry = KL_NIL, items = KL_NIL;
    ROOT(coll);
    ROOT(list);
    ROOT(entry);
    ROOT(items);
    if (kl_is_vector(coll)) {
        for (int64_t i = kl_vector_count(coll); i > from; i--) list = make_cons(kl_vector_nth(coll, i - 1), list);
    } else if (kl_is_map(coll)) {
        items = snapshot(coll);
        for (int64_t i = kl_count_words(items) / 2; i > from; i--) {
            entry = map_entry(kl_words(items)[2 * (i - 1)], kl_words(items)[2 * (i - 1) + 1]);
            list = make_cons(entry, list);
        }
    } else {
        items = snapshot(coll);
        for (int64_t i = kl_count_words(items); i > from; i--) list = make_cons(kl_words(items)[i - 1], list);
    }
    keel_roots_release(mark);
    return list;
}


/* A list of the items of a primitive array from the `from`-th on (a copy:
 * the array may change afterwards, where Clojure's seq would see it). */
static kl_value list_of_array(kl_value a, int64_t from) {
    size_t mark = keel_roots_mark();
    kl_value list = KL_EMPTY_LIST, item = KL_NIL;
    ROOT(a);
    ROOT(list);
    ROOT(item);
    for (int64_t i = kl_array_length(a); i > from; i--) {
        item = kl_array_item(a, i - 1);
        list = make_cons(item, list);
    }
    keel_roots_release(mark);
    return list;
}

/* (seq coll): nil when empty, else a list over the items. */
kl_value kl_seq_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_NIL;
    if (kl_layout(coll) == &kl_cons_layout) return coll;
    if (is_collection(coll)) return kl_count_of(coll) == 0 ? KL_NIL : list_of_items(coll, 0);
    if (kl_is_array(coll)) return kl_array_length(coll) == 0 ? KL_NIL : list_of_array(coll, 0);
    kl_error("IllegalArgumentException", "Don't know how to create ISeq from: %s", kl_type_name(coll));
}

/* May collect: the first entry of a map is a new [key value] vector. */
kl_value kl_first_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_NIL;
    if (kl_layout(coll) == &kl_cons_layout) return kl_words(coll)[0];
    if (kl_is_vector(coll)) return kl_vector_count(coll) == 0 ? KL_NIL : kl_vector_nth(coll, 0);
    if (kl_is_map(coll) || kl_is_set(coll)) {
        KlIter it;
        kl_value key, value;
        kl_iter_start(&it, coll);
        if (!kl_iter_next(&it, &key, &value)) return KL_NIL;
        return kl_is_set(coll) ? key : map_entry(key, value);
    }
    if (kl_is_array(coll)) return kl_array_length(coll) == 0 ? KL_NIL : kl_array_item(coll, 0);
    kl_error("IllegalArgumentException", "first: Don't know how to create ISeq from: %s", kl_type_name(coll));
}

kl_value kl_rest_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_EMPTY_LIST;
    if (kl_layout(coll) == &kl_cons_layout) return kl_words(coll)[1];
    if (is_collection(coll)) return list_of_items(coll, 1);
    if (kl_is_array(coll)) return list_of_array(coll, 1);
    kl_error("IllegalArgumentException", "rest: Don't know how to create ISeq from: %s", kl_type_name(coll));
}

kl_value kl_next_impl(kl_value coll) {
    kl_value r = kl_rest_impl(coll);
    return r == KL_EMPTY_LIST ? KL_NIL : r;
}

/* The list of the arguments of a variadic function, from the vector the
 * caller built. */
kl_value kl_list_from_impl(kl_value items) { return list_of_items(items, 0); }

kl_value kl_cons_impl(kl_value x, kl_value coll) {
    if (coll == KL_NIL) coll = KL_EMPTY_LIST;
    if (!is_list(coll)) {
        size_t mark = keel_roots_mark();
        ROOT(x);
        coll = kl_seq_impl(coll);
        if (coll == KL_NIL) coll = KL_EMPTY_LIST;
        keel_roots_release(mark);
    }
    return make_cons(x, coll);
}

kl_value kl_assoc_impl(kl_value map, kl_value key, kl_value value) {
    if (map == KL_NIL || kl_is_map(map)) return kl_map_assoc(map, key, value);
    if (kl_is_vector(map)) {
        int64_t i, n = kl_vector_count(map);
        if (!kl_long_value(key, &i)) kl_error("IllegalArgumentException", "Key must be integer");
        if (i < 0 || i > n)
            kl_error("IndexOutOfBoundsException", "assoc: index %lld out of bounds for a vector of %lld", (long long)i, (long long)n);
        return kl_vector_assoc(map, i, value);
    }
    kl_error("ClassCastException", "assoc: %s is not associative", kl_type_name(map));
}

kl_value kl_dissoc_impl(kl_value map, kl_value key) {
    if (map == KL_NIL) return KL_NIL;
    if (!kl_is_map(map)) kl_error("ClassCastException", "dissoc: %s is not a map", kl_type_name(map));
    return kl_map_without(map, key);
}

/* (disj set x) */
kl_value kl_disj_impl(kl_value set, kl_value x) {
    if (set == KL_NIL) return KL_NIL;
    if (!kl_is_set(set)) kl_error("ClassCastException", "disj: %s cannot be cast to clojure.lang.IPersistentSet", kl_type_name(set));
    return kl_set_disj(set, x);
}

/* (conj map x): x a [key value] pair, a map (its entries are added) or nil. */
static kl_value conj_map(kl_value map, kl_value x) {
    if (x == KL_NIL) return map;
    if (kl_is_vector(x)) {
        if (kl_vector_count(x) != 2) kl_error("IllegalArgumentException", "Vector arg to map conj must be a pair");
        return kl_map_assoc(map, kl_vector_nth(x, 0), kl_vector_nth(x, 1));
    }
    if (!kl_is_map(x))
        kl_error("ClassCastException", "conj: %s cannot be cast to java.util.Map$Entry", kl_type_name(x));
    size_t mark = keel_roots_mark();
    kl_value items = KL_NIL;
    ROOT(map);
    ROOT(items);
    items = snapshot(x);
    for (uint32_t i = 0; i < kl_count_words(items); i += 2) map = kl_map_assoc(map, kl_words(items)[i], kl_words(items)[i + 1]);
    keel_roots_release(mark);
    return map;
}

kl_value kl_conj_impl(kl_value coll, kl_value x) {
    if (coll == KL_NIL || is_list(coll)) return make_cons(x, coll == KL_NIL ? KL_EMPTY_LIST : coll);
    if (kl_is_vector(coll)) return kl_vector_conj(coll, x);
    if (kl_is_set(coll)) return kl_set_conj(coll, x);
    if (kl_is_map(coll)) return conj_map(coll, x);
    kl_error("ClassCastException", "conj: cannot add to %s", kl_type_name(coll));
}

/* A map from a vector of keys and values, starting from `map`. */
static kl_value map_from(kl_value map, kl_value items) {
    int64_t n = kl_vector_count(items);
    if (n % 2) kl_error("IllegalArgumentException", "No value supplied for key: (an odd number of forms in a map)");
    size_t mark = keel_roots_mark();
    ROOT(items);
    ROOT(map);
    for (int64_t i = 0; i < n; i += 2) map = kl_map_assoc(map, kl_vector_nth(items, i), kl_vector_nth(items, i + 1));
    keel_roots_release(mark);
    return map;
}

/* A map literal: an array map up to 8 entries, a hash map beyond (as
 * Clojure's reader). */
kl_value kl_map_from_impl(kl_value items) {
    size_t mark = keel_roots_mark();
    ROOT(items);
    kl_value map = alloc_items(&kl_map_layout, 0);
    keel_roots_release(mark);
    return map_from(map, items);
}

/* (hash-map k v ...): always a hash map, as in Clojure. */
kl_value kl_hash_map_from_impl(kl_value items) {
    size_t mark = keel_roots_mark();
    ROOT(items);
    kl_value map = kl_empty_hash_map();
    keel_roots_release(mark);
    return map_from(map, items);
}

kl_value kl_set_from_impl(kl_value items) {
    size_t mark = keel_roots_mark();
    kl_value set = KL_NIL;
    ROOT(items);
    ROOT(set);
    set = kl_empty_set();
    for (int64_t i = 0; i < kl_vector_count(items); i++) set = kl_set_conj(set, kl_vector_nth(items, i));
    keel_roots_release(mark);
    return set;
}

kl_value kl_vec_impl(kl_value coll) {
    if (kl_is_vector(coll)) return coll;
    size_t mark = keel_roots_mark();
    kl_value seq = KL_NIL, result = KL_NIL;
    ROOT(seq);
    ROOT(result);
    seq = kl_seq_impl(coll);
    int64_t n = kl_count_of(seq);
    if (n <= 32) {
        result = alloc_items(&kl_vector_layout, (uint32_t)n);
        for (int64_t i = 0; seq != KL_NIL && seq != KL_EMPTY_LIST; i++, seq = kl_words(seq)[1])
            keel_store(OBJ(result), (uint64_t)i, OBJ(kl_words(seq)[0]));
    } else {
        result = kl_vector_from_seq(seq, n);
    }
    keel_roots_release(mark);
    return result;
}

kl_value kl_nth(kl_value coll, kl_value index) {
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "nth: index must be an integer, got %s", kl_type_name(index));
    if (kl_is_vector(coll)) {
        int64_t n = kl_vector_count(coll);
        if (i < 0 || i >= n)
            kl_error("IndexOutOfBoundsException", "nth: index %lld out of bounds for a vector of %lld", (long long)i, (long long)n);
        return kl_vector_nth(coll, i);
    }
    if (is_list(coll)) {
        kl_value p = coll;
        for (int64_t k = 0; p != KL_EMPTY_LIST; k++, p = kl_words(p)[1])
            if (k == i) return kl_words(p)[0];
        kl_error("IndexOutOfBoundsException", "nth: index %lld out of bounds for a list of %lld", (long long)i, (long long)kl_count_of(coll));
    }
    if (coll == KL_NIL) return KL_NIL;
    kl_error("UnsupportedOperationException", "nth not supported on this type: %s", kl_type_name(coll));
}

/* (nth coll i not-found): not-found instead of an error out of range. */
kl_value kl_nth3(kl_value coll, kl_value index, kl_value not_found) {
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "nth: index must be an integer, got %s", kl_type_name(index));
    if (coll == KL_NIL || i < 0) return not_found;
    if (kl_is_vector(coll)) return i < kl_vector_count(coll) ? kl_vector_nth(coll, i) : not_found;
    if (is_list(coll)) {
        kl_value p = coll;
        for (int64_t k = 0; p != KL_EMPTY_LIST; k++, p = kl_words(p)[1])
            if (k == i) return kl_words(p)[0];
        return not_found;
    }
    kl_error("UnsupportedOperationException", "nth not supported on this type: %s", kl_type_name(coll));
}

/* A hash map or set: get's and contains?'s common case, tested first. */
static int is_hashed(kl_value coll) {
    const KeelLayout *l = kl_layout(coll);
    return l == &kl_hash_map_layout || l == &kl_set_layout;
}

kl_value kl_get3(kl_value coll, kl_value key, kl_value otherwise) {
    kl_value value;
    if (is_hashed(coll)) return kl_hamt_find(kl_words(coll)[1], kl_hash_key(key), key, &value) ? value : otherwise;
    if (kl_is_map(coll)) return kl_map_find(coll, key, &value) ? value : otherwise;
    if (kl_is_vector(coll)) {
        int64_t i;
        if (kl_long_value(key, &i) && i >= 0 && i < kl_vector_count(coll)) return kl_vector_nth(coll, i);
    }
    /* Clojure gives an array's element; boxing a double here could collect. */
    if (kl_is_array(coll)) kl_error("UnsupportedOperationException", "get of an array is not supported (use aget)");
    return otherwise;
}

kl_value kl_get(kl_value coll, kl_value key) { return kl_get3(coll, key, KL_NIL); }

int kl_contains_p(kl_value coll, kl_value key) {
    kl_value value;
    if (is_hashed(coll)) return kl_hamt_find(kl_words(coll)[1], kl_hash_key(key), key, &value);
    if (kl_is_map(coll)) return kl_map_find(coll, key, &value);
    if (kl_is_vector(coll)) {
        int64_t i;
        return kl_long_value(key, &i) && i >= 0 && i < kl_vector_count(coll);
    }
    if (coll == KL_NIL) return 0;
    kl_error("IllegalArgumentException", "contains? not supported on type: %s", kl_type_name(coll));
}

/* (%reverse! list): `list` reversed in place, its cells reused. Only for a
 * list the caller has just built and nothing else references (the core
 * library's accumulators, built backwards by `cons`): a list a program can
 * see is immutable. Allocates nothing, so it never collects. */
kl_value kl_reverse_fresh(kl_value list) {
    if (list == KL_NIL || list == KL_EMPTY_LIST) return list;
    kl_value reversed = KL_EMPTY_LIST;
    int64_t n = 0;
    while (list != KL_EMPTY_LIST) {
        kl_value next = kl_words(list)[1];
        keel_store(OBJ(list), 1, OBJ(reversed));
        kl_words(list)[2] = kl_fixnum(++n);
        reversed = list;
        list = next;
    }
    return reversed;
}

/* (peek coll): the last item of a vector, the first of a list. */
kl_value kl_peek(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_NIL;
    if (kl_layout(coll) == &kl_cons_layout) return kl_words(coll)[0];
    if (kl_is_vector(coll)) {
        int64_t n = kl_vector_count(coll);
        return n == 0 ? KL_NIL : kl_vector_nth(coll, n - 1);
    }
    kl_error("ClassCastException", "peek: %s cannot be cast to clojure.lang.IPersistentStack", kl_type_name(coll));
}

/* (pop coll): a vector without its last item, a list without its first. */
kl_value kl_pop_impl(kl_value coll) {
    if (coll == KL_NIL) return KL_NIL;
    if (is_list(coll)) {
        if (coll == KL_EMPTY_LIST) kl_error("IllegalStateException", "Can't pop empty list");
        return kl_words(coll)[1];
    }
    if (kl_is_vector(coll)) {
        if (kl_vector_count(coll) == 0) kl_error("IllegalStateException", "Can't pop empty vector");
        return kl_vector_pop(coll);
    }
    kl_error("ClassCastException", "pop: %s cannot be cast to clojure.lang.IPersistentStack", kl_type_name(coll));
}

/* The program's command-line arguments as a list of strings, nil when none
 * (what `& args` of -main receives). */
kl_value kl_make_args_impl(int64_t argc, char **argv) {
    size_t mark = keel_roots_mark();
    kl_value list = KL_EMPTY_LIST, s = KL_NIL;
    ROOT(list);
    ROOT(s);
    for (int64_t i = argc - 1; i >= 1; i--) {
        s = kl_string_from(argv[i], (int64_t)strlen(argv[i]));
        list = make_cons(s, list);
    }
    keel_roots_release(mark);
    return list == KL_EMPTY_LIST ? KL_NIL : list;
}

/* (nthnext coll n): the seq after the first n items, nil when none remain. */
kl_value kl_nthnext_impl(kl_value coll, kl_value count) {
    int64_t n;
    if (!kl_long_value(count, &n)) kl_error("IllegalArgumentException", "nthnext: count must be an integer");
    if (kl_is_vector(coll)) {
        if (n >= kl_vector_count(coll)) return KL_NIL;
        return list_of_items(coll, n < 0 ? 0 : n);
    }
    kl_value s = kl_seq_impl(coll);
    for (int64_t k = 0; k < n && s != KL_NIL; k++) s = kl_next_impl(s);
    return s;
}

/* Keywords, maps, sets and vectors called as functions (the compiled
 * kl_invoke_N helpers come here when the callee is not a fn):
 * (:k m), (:k m default), (m k), (m k default), (s x), (v i), as Clojure
 * (a set takes no default). */
kl_value kl_invoke_data(kl_value f, kl_value a, kl_value b, int64_t n) {
    const KeelLayout *l = kl_layout(f);
    if (l == &kl_keyword_layout && (n == 1 || n == 2)) return n == 1 ? kl_get(a, f) : kl_get3(a, f, b);
    if (kl_is_map(f) && (n == 1 || n == 2)) return n == 1 ? kl_get(f, a) : kl_get3(f, a, b);
    if (kl_is_set(f) && n == 1) return kl_get(f, a);
    if (kl_is_vector(f) && n == 1) return kl_nth(f, a);
    if (l == &kl_keyword_layout || is_collection(f))
        kl_error("ArityException", "Wrong number of args (%lld) passed to: %s", (long long)n, kl_type_name(f));
    kl_not_fn_error(f);
}
