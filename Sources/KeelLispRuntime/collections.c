/* The collections, simple versions first: lists are cons cells; vectors,
 * maps (key/value pairs in insertion order) and sets are flat objects copied
 * on every change.  Every operation is behind a function here, so persistent
 * vectors and hash array mapped tries can replace the representations
 * without touching the compiler.
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
static int is_flat(kl_value v) {
    const KeelLayout *l = kl_layout(v);
    return l == &kl_vector_layout || l == &kl_set_layout || l == &kl_map_layout;
}

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

int64_t kl_count_of(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return 0;
    const KeelLayout *l = kl_layout(coll);
    if (l == &kl_cons_layout) return kl_fixnum_value(kl_words(coll)[2]);
    if (l == &kl_vector_layout || l == &kl_set_layout) return kl_count_words(coll);
    if (l == &kl_map_layout) return kl_count_words(coll) / 2;
    if (l == &kl_string_layout) return kl_utf8_count(kl_string_bytes(coll), kl_string_length(coll));
    kl_error("UnsupportedOperationException", "count not supported on this type: %s", kl_type_name(coll));
}

kl_value kl_count(kl_value coll) { return kl_fixnum(kl_count_of(coll)); }
int kl_empty_p(kl_value coll) { return kl_count_of(coll) == 0; }

/* A list of the items of a flat collection (map entries become vectors). */
static kl_value list_of_items(kl_value coll, uint32_t from) {
    size_t mark = keel_roots_mark();
    kl_value list = KL_EMPTY_LIST, entry = KL_NIL;
    ROOT(coll);
    ROOT(list);
    ROOT(entry);
    if (kl_layout(coll) == &kl_map_layout) {
        for (uint32_t i = kl_count_words(coll) / 2; i > from; i--) {
            entry = alloc_items(&kl_vector_layout, 2);
            keel_store(OBJ(entry), 0, OBJ(kl_words(coll)[2 * (i - 1)]));
            keel_store(OBJ(entry), 1, OBJ(kl_words(coll)[2 * (i - 1) + 1]));
            list = make_cons(entry, list);
        }
    } else {
        for (uint32_t i = kl_count_words(coll); i > from; i--) list = make_cons(kl_words(coll)[i - 1], list);
    }
    keel_roots_release(mark);
    return list;
}

/* (seq coll): nil when empty, else a list over the items. */
kl_value kl_seq_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_NIL;
    if (kl_layout(coll) == &kl_cons_layout) return coll;
    if (is_flat(coll)) return kl_count_of(coll) == 0 ? KL_NIL : list_of_items(coll, 0);
    kl_error("IllegalArgumentException", "Don't know how to create ISeq from: %s", kl_type_name(coll));
}

/* May collect: the first entry of a map is a new [key value] vector. */
kl_value kl_first_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_NIL;
    const KeelLayout *l = kl_layout(coll);
    if (l == &kl_cons_layout || l == &kl_vector_layout || l == &kl_set_layout)
        return kl_count_words(coll) == 0 ? KL_NIL : kl_words(coll)[0];
    if (l == &kl_map_layout) {
        if (kl_count_words(coll) == 0) return KL_NIL;
        size_t mark = keel_roots_mark();
        ROOT(coll);
        kl_value entry = alloc_items(&kl_vector_layout, 2);
        keel_store(OBJ(entry), 0, OBJ(kl_words(coll)[0]));
        keel_store(OBJ(entry), 1, OBJ(kl_words(coll)[1]));
        keel_roots_release(mark);
        return entry;
    }
    kl_error("IllegalArgumentException", "first: Don't know how to create ISeq from: %s", kl_type_name(coll));
}

kl_value kl_rest_impl(kl_value coll) {
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return KL_EMPTY_LIST;
    if (kl_layout(coll) == &kl_cons_layout) return kl_words(coll)[1];
    if (is_flat(coll)) return list_of_items(coll, 1);
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

/* A copy of a flat collection with room for `extra` more words. */
static kl_value grown_copy(kl_value coll, uint32_t extra) {
    size_t mark = keel_roots_mark();
    ROOT(coll);
    uint32_t n = kl_count_words(coll);
    kl_value copy = alloc_items(kl_layout(coll), n + extra);
    for (uint32_t i = 0; i < n; i++) keel_store(OBJ(copy), i, OBJ(kl_words(coll)[i]));
    keel_roots_release(mark);
    return copy;
}

static int64_t map_index(kl_value map, kl_value key) {
    uint32_t n = kl_count_words(map);
    for (uint32_t i = 0; i < n; i += 2)
        if (kl_equiv(kl_words(map)[i], key)) return i;
    return -1;
}

static int64_t set_index(kl_value set, kl_value x) {
    uint32_t n = kl_count_words(set);
    for (uint32_t i = 0; i < n; i++)
        if (kl_equiv(kl_words(set)[i], x)) return i;
    return -1;
}

kl_value kl_assoc_impl(kl_value map, kl_value key, kl_value value) {
    size_t mark = keel_roots_mark();
    ROOT(map);
    ROOT(key);
    ROOT(value);
    if (map == KL_NIL) map = alloc_items(&kl_map_layout, 0);
    kl_value result;
    if (kl_layout(map) == &kl_map_layout) {
        int64_t i = map_index(map, key);
        if (i >= 0) {
            result = grown_copy(map, 0);
            keel_store(OBJ(result), (uint64_t)i + 1, OBJ(value));
        } else {
            uint32_t n = kl_count_words(map);
            result = grown_copy(map, 2);
            keel_store(OBJ(result), n, OBJ(key));
            keel_store(OBJ(result), n + 1, OBJ(value));
        }
    } else if (kl_layout(map) == &kl_vector_layout) {
        int64_t i;
        uint32_t n = kl_count_words(map);
        if (!kl_long_value(key, &i)) kl_error("IllegalArgumentException", "Key must be integer");
        if (i < 0 || i > n) kl_error("IndexOutOfBoundsException", "assoc: index %lld out of bounds for a vector of %u", (long long)i, n);
        result = grown_copy(map, i == n ? 1 : 0);
        keel_store(OBJ(result), (uint64_t)i, OBJ(value));
    } else {
        kl_error("ClassCastException", "assoc: %s is not associative", kl_type_name(map));
    }
    keel_roots_release(mark);
    return result;
}

kl_value kl_dissoc_impl(kl_value map, kl_value key) {
    if (map == KL_NIL) return KL_NIL;
    if (kl_layout(map) != &kl_map_layout) kl_error("ClassCastException", "dissoc: %s is not a map", kl_type_name(map));
    int64_t i = map_index(map, key);
    if (i < 0) return map;
    size_t mark = keel_roots_mark();
    ROOT(map);
    uint32_t n = kl_count_words(map);
    kl_value result = alloc_items(&kl_map_layout, n - 2);
    for (uint32_t j = 0, k = 0; j < n; j++)
        if (j != i && j != i + 1) keel_store(OBJ(result), k++, OBJ(kl_words(map)[j]));
    keel_roots_release(mark);
    return result;
}

kl_value kl_conj_impl(kl_value coll, kl_value x) {
    if (coll == KL_NIL || is_list(coll)) return make_cons(x, coll == KL_NIL ? KL_EMPTY_LIST : coll);
    const KeelLayout *l = kl_layout(coll);
    size_t mark = keel_roots_mark();
    ROOT(coll);
    ROOT(x);
    kl_value result = coll;
    if (l == &kl_vector_layout) {
        uint32_t n = kl_count_words(coll);
        result = grown_copy(coll, 1);
        keel_store(OBJ(result), n, OBJ(x));
    } else if (l == &kl_set_layout) {
        if (set_index(coll, x) < 0) {
            uint32_t n = kl_count_words(coll);
            result = grown_copy(coll, 1);
            keel_store(OBJ(result), n, OBJ(x));
        }
    } else if (l == &kl_map_layout) {
        if (kl_layout(x) != &kl_vector_layout || kl_count_words(x) != 2)
            kl_error("IllegalArgumentException", "Vector arg to map conj must be a pair");
        result = kl_assoc_impl(coll, kl_words(x)[0], kl_words(x)[1]);
    } else {
        kl_error("ClassCastException", "conj: cannot add to %s", kl_type_name(coll));
    }
    keel_roots_release(mark);
    return result;
}

kl_value kl_map_from_impl(kl_value items) {
    uint32_t n = kl_count_words(items);
    if (n % 2) kl_error("IllegalArgumentException", "No value supplied for key: (an odd number of forms in a map)");
    size_t mark = keel_roots_mark();
    kl_value map = KL_NIL;
    ROOT(items);
    ROOT(map);
    map = alloc_items(&kl_map_layout, 0);
    for (uint32_t i = 0; i < n; i += 2) map = kl_assoc_impl(map, kl_words(items)[i], kl_words(items)[i + 1]);
    keel_roots_release(mark);
    return map;
}

kl_value kl_set_from_impl(kl_value items) {
    uint32_t n = kl_count_words(items);
    size_t mark = keel_roots_mark();
    kl_value set = KL_NIL;
    ROOT(items);
    ROOT(set);
    set = alloc_items(&kl_set_layout, 0);
    for (uint32_t i = 0; i < n; i++) set = kl_conj_impl(set, kl_words(items)[i]);
    keel_roots_release(mark);
    return set;
}

kl_value kl_vec_impl(kl_value coll) {
    if (kl_layout(coll) == &kl_vector_layout) return coll;
    size_t mark = keel_roots_mark();
    kl_value seq = KL_NIL, result = KL_NIL;
    ROOT(seq);
    ROOT(result);
    seq = kl_seq_impl(coll);
    int64_t n = kl_count_of(seq);
    result = alloc_items(&kl_vector_layout, (uint32_t)n);
    for (int64_t i = 0; seq != KL_NIL && seq != KL_EMPTY_LIST; i++, seq = kl_words(seq)[1])
        keel_store(OBJ(result), (uint64_t)i, OBJ(kl_words(seq)[0]));
    keel_roots_release(mark);
    return result;
}

kl_value kl_nth(kl_value coll, kl_value index) {
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "nth: index must be an integer, got %s", kl_type_name(index));
    if (kl_layout(coll) == &kl_vector_layout) {
        if (i < 0 || i >= kl_count_words(coll))
            kl_error("IndexOutOfBoundsException", "nth: index %lld out of bounds for a vector of %u", (long long)i, kl_count_words(coll));
        return kl_words(coll)[i];
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

kl_value kl_get3(kl_value coll, kl_value key, kl_value otherwise) {
    const KeelLayout *l = kl_layout(coll);
    if (l == &kl_map_layout) {
        int64_t i = map_index(coll, key);
        return i < 0 ? otherwise : kl_words(coll)[i + 1];
    }
    if (l == &kl_set_layout) {
        int64_t i = set_index(coll, key);
        return i < 0 ? otherwise : kl_words(coll)[i];
    }
    if (l == &kl_vector_layout) {
        int64_t i;
        if (kl_long_value(key, &i) && i >= 0 && i < kl_count_words(coll)) return kl_words(coll)[i];
    }
    return otherwise;
}

kl_value kl_get(kl_value coll, kl_value key) { return kl_get3(coll, key, KL_NIL); }

int kl_contains_p(kl_value coll, kl_value key) {
    const KeelLayout *l = kl_layout(coll);
    if (l == &kl_map_layout) return map_index(coll, key) >= 0;
    if (l == &kl_set_layout) return set_index(coll, key) >= 0;
    if (l == &kl_vector_layout) {
        int64_t i;
        return kl_long_value(key, &i) && i >= 0 && i < kl_count_words(coll);
    }
    if (coll == KL_NIL) return 0;
    kl_error("IllegalArgumentException", "contains? not supported on type: %s", kl_type_name(coll));
}

/* (name x): the name string of a keyword or symbol, or the string itself. */
kl_value kl_name(kl_value x) {
    const KeelLayout *l = kl_layout(x);
    if (l == &kl_keyword_layout || l == &kl_symbol_layout) return kl_words(x)[0];
    if (l == &kl_string_layout) return x;
    kl_error("ClassCastException", "name: %s cannot be cast to clojure.lang.Named", kl_type_name(x));
}

/* The number of characters (code points) in UTF-8 text: its bytes that do
 * not continue a character. */
int64_t kl_utf8_count(const char *bytes, int64_t length) {
    int64_t n = 0;
    for (int64_t i = 0; i < length; i++) n += ((unsigned char)bytes[i] & 0xC0) != 0x80;
    return n;
}

/* The byte offset of character `index` in UTF-8 text. */
static int64_t utf8_offset(const char *bytes, int64_t length, int64_t index) {
    int64_t i = 0;
    for (int64_t k = 0; k < index && i < length; k++)
        do i++; while (i < length && ((unsigned char)bytes[i] & 0xC0) == 0x80);
    return i;
}

/* (subs s start end); end nil means the end of s.  Indices count characters. */
kl_value kl_subs_impl(kl_value s, kl_value start, kl_value end) {
    int64_t a, b;
    if (kl_layout(s) != &kl_string_layout) kl_error("ClassCastException", "subs: %s is not a string", kl_type_name(s));
    int64_t n = kl_utf8_count(kl_string_bytes(s), kl_string_length(s));
    if (!kl_long_value(start, &a)) kl_error("IllegalArgumentException", "subs: start must be an integer");
    if (end == KL_NIL) b = n;
    else if (!kl_long_value(end, &b)) kl_error("IllegalArgumentException", "subs: end must be an integer");
    if (a < 0 || b > n || a > b)
        kl_error("StringIndexOutOfBoundsException", "begin %lld, end %lld, length %lld", (long long)a, (long long)b, (long long)n);
    a = utf8_offset(kl_string_bytes(s), kl_string_length(s), a);
    b = utf8_offset(kl_string_bytes(s), kl_string_length(s), b);
    size_t mark = keel_roots_mark();
    ROOT(s);
    kl_value r;
    r = (kl_value)(uintptr_t)kl_alloc(&kl_string_layout, 1 + ((uint64_t)(b - a) + 7) / 8);
    kl_words(r)[0] = (uint64_t)(b - a);
    memcpy(kl_words(r) + 1, kl_string_bytes(s) + a, (size_t)(b - a));
    keel_roots_release(mark);
    return r;
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

/* (nth coll i not-found): not-found instead of an error out of range. */
kl_value kl_nth3(kl_value coll, kl_value index, kl_value not_found) {
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "nth: index must be an integer, got %s", kl_type_name(index));
    if (coll == KL_NIL || i < 0) return not_found;
    if (kl_layout(coll) == &kl_vector_layout) return i < kl_count_words(coll) ? kl_words(coll)[i] : not_found;
    if (is_list(coll)) {
        kl_value p = coll;
        for (int64_t k = 0; p != KL_EMPTY_LIST; k++, p = kl_words(p)[1])
            if (k == i) return kl_words(p)[0];
        return not_found;
    }
    kl_error("UnsupportedOperationException", "nth not supported on this type: %s", kl_type_name(coll));
}

/* (nthnext coll n): the seq after the first n items, nil when none remain. */
kl_value kl_nthnext_impl(kl_value coll, kl_value count) {
    int64_t n;
    if (!kl_long_value(count, &n)) kl_error("IllegalArgumentException", "nthnext: count must be an integer");
    if (kl_layout(coll) == &kl_vector_layout) {
        if (n >= kl_count_words(coll)) return KL_NIL;
        return list_of_items(coll, (uint32_t)(n < 0 ? 0 : n));
    }
    kl_value s = kl_seq_impl(coll);
    for (int64_t k = 0; k < n && s != KL_NIL; k++) s = kl_next_impl(s);
    return s;
}

/* Keywords, maps, sets and vectors called as functions (the compiled
 * kl_invoke_N helpers come here when the callee is not a fn):
 * (:k m), (:k m default), (m k), (m k default), (s x), (v i). */
kl_value kl_invoke_data(kl_value f, kl_value a, kl_value b, int64_t n) {
    const KeelLayout *l = kl_layout(f);
    if (l == &kl_keyword_layout && (n == 1 || n == 2)) return n == 1 ? kl_get(a, f) : kl_get3(a, f, b);
    if ((l == &kl_map_layout || l == &kl_set_layout) && (n == 1 || n == 2)) return n == 1 ? kl_get(f, a) : kl_get3(f, a, b);
    if (l == &kl_vector_layout && n == 1) return kl_nth(f, a);
    if (l == &kl_keyword_layout || l == &kl_map_layout || l == &kl_set_layout || l == &kl_vector_layout)
        kl_error("ArityException", "Wrong number of args (%lld) passed to: %s", (long long)n, kl_type_name(f));
    kl_not_fn_error(f);
}
