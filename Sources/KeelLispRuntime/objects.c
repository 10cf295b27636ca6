/* Layouts of KeelLisp's objects, boxing of numbers, and the constructors of
 * strings, keywords and symbols that compiled code calls at start-up. */
#include <stdlib.h>
#include <string.h>
#include "KeelLisp.h"

static const uint64_t record1_refs[1] = {1};
static const uint64_t cons_refs[1] = {7};
static const uint64_t pvector_refs[1] = {0xF}; /* count and shift are fixnums: safe to trace */
static const uint64_t record2_refs[1] = {3};

#define LAYOUT(var, kind, n, refs, name) \
    const KeelLayout var __attribute__((aligned(16))) = {KEEL_LAYOUT_MAGIC, kind, n, 0, refs, name};

LAYOUT(kl_long_layout, KEEL_LAYOUT_BYTES, 0, NULL, "long")
LAYOUT(kl_double_layout, KEEL_LAYOUT_BYTES, 0, NULL, "double")
LAYOUT(kl_string_layout, KEEL_LAYOUT_BYTES, 0, NULL, "string")
LAYOUT(kl_keyword_layout, KEEL_LAYOUT_RECORD, 1, record1_refs, "keyword")
LAYOUT(kl_symbol_layout, KEEL_LAYOUT_RECORD, 1, record1_refs, "symbol")
LAYOUT(kl_cons_layout, KEEL_LAYOUT_RECORD, 3, cons_refs, "list")
LAYOUT(kl_vector_layout, KEEL_LAYOUT_REFS, 0, NULL, "vector")
LAYOUT(kl_pvector_layout, KEEL_LAYOUT_RECORD, 4, pvector_refs, "vector trie")
LAYOUT(kl_vnode_layout, KEEL_LAYOUT_REFS, 0, NULL, "vector node")
LAYOUT(kl_map_layout, KEEL_LAYOUT_REFS, 0, NULL, "array map")
LAYOUT(kl_hash_map_layout, KEEL_LAYOUT_RECORD, 2, record2_refs, "hash map")
LAYOUT(kl_set_layout, KEEL_LAYOUT_RECORD, 2, record2_refs, "hash set")
LAYOUT(kl_hnode_layout, KEEL_LAYOUT_REFS, 0, NULL, "hash trie node")
LAYOUT(kl_hcollision_layout, KEEL_LAYOUT_REFS, 0, NULL, "hash collision node")
LAYOUT(kl_fn_layout, KEEL_LAYOUT_REFS, 0, NULL, "fn")
LAYOUT(kl_double_array_layout, KEEL_LAYOUT_BYTES, 0, NULL, "double-array")
LAYOUT(kl_long_array_layout, KEEL_LAYOUT_BYTES, 0, NULL, "long-array")
LAYOUT(kl_byte_array_layout, KEEL_LAYOUT_BYTES, 0, NULL, "byte-array")

kl_value kl_box_long(int64_t n) {
    kl_value o = (kl_value)(uintptr_t)kl_alloc(&kl_long_layout, 1);
    kl_words(o)[0] = (uint64_t)n;
    return o;
}

kl_value kl_integer(int64_t n) {
    return n >= KL_FIXNUM_MIN && n <= KL_FIXNUM_MAX ? kl_fixnum(n) : kl_box_long(n);
}

kl_value kl_box_double(double d) {
    kl_value o = (kl_value)(uintptr_t)kl_alloc(&kl_double_layout, 1);
    memcpy(kl_words(o), &d, 8);
    return o;
}

kl_value kl_string_from(const char *bytes, int64_t length) {
    kl_value s = (kl_value)(uintptr_t)kl_alloc(&kl_string_layout, 1 + ((uint64_t)length + 7) / 8);
    kl_words(s)[0] = (uint64_t)length;
    if (length > 0) memcpy(kl_words(s) + 1, bytes, (size_t)length);
    return s;
}

kl_value kl_make_long_impl(int64_t n) { return kl_integer(n); }
kl_value kl_make_double_impl(double d) { return kl_box_double(d); }
kl_value kl_make_string_impl(const char *bytes, int64_t length) { return kl_string_from(bytes, length); }

/* Symbols are not interned: equal by name. */
kl_value kl_make_symbol_impl(const char *bytes, int64_t length) {
    size_t mark = keel_roots_mark();
    kl_value name = kl_string_from(bytes, length);
    keel_root(&name);
    kl_value sym = (kl_value)(uintptr_t)kl_alloc(&kl_symbol_layout, 1);
    keel_store((void *)(uintptr_t)sym, 0, (void *)(uintptr_t)name);
    keel_roots_release(mark);
    return sym;
}

/* Keywords are interned, so `=` on keywords is identity: a table (a vector
 * object held in a global root) searched linearly, for now. */
static kl_value keyword_table = KL_NIL;
static uint32_t keyword_count = 0;

static int same_bytes(kl_value s, const char *bytes, int64_t length) {
    return kl_string_length(s) == length && memcmp(kl_string_bytes(s), bytes, (size_t)length) == 0;
}

kl_value kl_make_keyword_impl(const char *bytes, int64_t length) {
    static int registered = 0;
    if (!registered) {
        /* The runtime keeps the array itself, not a copy: it must be static. */
        static void *roots[1] = {&keyword_table};
        keel_global_roots(roots, 1);
        registered = 1;
    }
    for (uint32_t i = 0; i < keyword_count; i++) {
        kl_value k = kl_words(keyword_table)[i];
        if (same_bytes(kl_words(k)[0], bytes, length)) return k;
    }
    size_t mark = keel_roots_mark();
    kl_value name = KL_NIL, keyword = KL_NIL, grown = KL_NIL;
    keel_root(&name);
    keel_root(&keyword);
    keel_root(&grown);
    name = kl_string_from(bytes, length);
    keyword = (kl_value)(uintptr_t)kl_alloc(&kl_keyword_layout, 1);
    keel_store((void *)(uintptr_t)keyword, 0, (void *)(uintptr_t)name);
    uint32_t capacity = keyword_table == KL_NIL ? 0 : kl_count_words(keyword_table);
    if (keyword_count == capacity) {
        grown = (kl_value)(uintptr_t)kl_alloc(&kl_vector_layout, capacity == 0 ? 16 : 2 * capacity);
        for (uint32_t i = 0; i < keyword_count; i++)
            keel_store((void *)(uintptr_t)grown, i, (void *)(uintptr_t)kl_words(keyword_table)[i]);
        keyword_table = grown;
    }
    keel_store((void *)(uintptr_t)keyword_table, keyword_count++, (void *)(uintptr_t)keyword);
    keel_roots_release(mark);
    return keyword;
}

/* (keyword x): a keyword is itself, a string or symbol names one; anything
 * else is nil, as in Clojure 1.11. */
kl_value kl_keyword_impl(kl_value name) {
    if (kl_layout(name) == &kl_keyword_layout) return name;
    if (kl_layout(name) == &kl_symbol_layout) name = kl_words(name)[0];
    if (kl_layout(name) != &kl_string_layout) return KL_NIL;
    /* The bytes may move during the allocation: copy them out first. */
    int64_t n = kl_string_length(name);
    char small[256];
    char *copy = n <= 256 ? small : malloc((size_t)n);
    memcpy(copy, kl_string_bytes(name), (size_t)n);
    kl_value k = kl_make_keyword_impl(copy, n);
    if (copy != small) free(copy);
    return k;
}

int kl_is_number(kl_value v) {
    return kl_is_fixnum(v) || kl_layout(v) == &kl_long_layout || kl_layout(v) == &kl_double_layout;
}

int kl_is_string(kl_value v) { return kl_layout(v) == &kl_string_layout; }

double kl_double_value(kl_value v) {
    double d;
    memcpy(&d, kl_words(v), 8);
    return d;
}

/* Type names in Clojure's terms, for error messages. */
const char *kl_type_name(kl_value v) {
    if (v == KL_NIL) return "nil";
    if (v == KL_TRUE || v == KL_FALSE) return "java.lang.Boolean";
    if (v == KL_EMPTY_LIST) return "clojure.lang.PersistentList$EmptyList";
    if (kl_is_fixnum(v)) return "java.lang.Long";
    if (kl_is_char(v)) return "java.lang.Character";
    const KeelLayout *l = kl_layout(v);
    if (l == &kl_long_layout) return "java.lang.Long";
    if (l == &kl_double_layout) return "java.lang.Double";
    if (l == &kl_string_layout) return "java.lang.String";
    if (l == &kl_keyword_layout) return "clojure.lang.Keyword";
    if (l == &kl_symbol_layout) return "clojure.lang.Symbol";
    if (l == &kl_cons_layout) return "clojure.lang.PersistentList";
    if (kl_is_vector(v)) return "clojure.lang.PersistentVector";
    if (l == &kl_map_layout) return "clojure.lang.PersistentArrayMap";
    if (l == &kl_hash_map_layout) return "clojure.lang.PersistentHashMap";
    if (l == &kl_set_layout) return "clojure.lang.PersistentHashSet";
    if (l == &kl_fn_layout) return "clojure.lang.IFn";
    if (l == &kl_double_array_layout) return "[D";
    if (l == &kl_long_array_layout) return "[J";
    if (l == &kl_byte_array_layout) return "[B";
    return "unknown";
}

/* Type predicates for compiled code: 1 or 0 (no collection). */
int kl_is_fn(kl_value v) { return kl_layout(v) == &kl_fn_layout; }
int kl_number_p(kl_value v) { return kl_is_number(v); }
int kl_string_p(kl_value v) { return kl_is_string(v); }
int kl_keyword_p(kl_value v) { return kl_layout(v) == &kl_keyword_layout; }
int kl_map_p(kl_value v) { return kl_is_map(v); }
int kl_vector_p(kl_value v) { return kl_is_vector(v); }
int kl_set_p(kl_value v) { return kl_is_set(v); }
int kl_fn_p(kl_value v) { return kl_is_fn(v); }
/* seq?: the lists (every sequence function returns one; Clojure's ISeq). */
int kl_seq_p(kl_value v) { return v == KL_EMPTY_LIST || kl_layout(v) == &kl_cons_layout; }

/* A global cell (a root, outside the heap) is written by C: no barrier. */
void kl_set_root(kl_value *cell, kl_value v) { *cell = v; }
