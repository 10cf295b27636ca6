/* (hash x): Clojure 1.11's hasheq, bit for bit, so that `hash` prints what
 * Clojure prints and hash maps and sets iterate in Clojure's order (a hash
 * trie's order is a function of the hashes alone).  Consistent with `=`
 * (equality.c): a list and a vector with the same items hash alike, maps and
 * sets hash by an order-independent sum, whatever their representation.
 *
 * Murmur3 (32-bit) as clojure.lang.Murmur3 uses it: longs by hashLong,
 * strings by hashInt of Java's String.hashCode (over UTF-16 code units),
 * keywords and symbols by hashUnencodedChars of the name, collections by
 * hashOrdered / hashUnordered.  Never collects. */
#include <string.h>
#include "KeelLisp.h"

static uint32_t hash_int(uint32_t n) { return n == 0 ? 0 : kl_murmur_fmix(kl_murmur_h1(0, kl_murmur_k1(n)), 4); }

/* Murmur3.mixCollHash: the final step of a collection's hash. */
static uint32_t mix_coll_hash(uint32_t h, uint32_t count) { return kl_murmur_fmix(kl_murmur_h1(0, kl_murmur_k1(h)), count); }

/* UTF-8 text as the UTF-16 code units Java would hold (surrogate pairs for
 * characters past U+FFFF): calls `unit` on each. */
typedef struct Utf16 { const unsigned char *p, *end; uint32_t pending; } Utf16;

static int next_unit(Utf16 *u, uint32_t *unit) {
    if (u->pending) { *unit = u->pending; u->pending = 0; return 1; }
    if (u->p >= u->end) return 0;
    uint32_t c = *u->p++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra) c &= 0x3F >> extra;
    for (int i = 0; i < extra && u->p < u->end; i++) c = (c << 6) | (*u->p++ & 0x3F);
    if (c > 0xFFFF) {
        c -= 0x10000;
        u->pending = 0xDC00 | (c & 0x3FF);
        c = 0xD800 | (c >> 10);
    }
    *unit = c;
    return 1;
}

/* java.lang.String.hashCode of UTF-8 bytes */
static uint32_t string_hash_code(const char *bytes, int64_t length) {
    const unsigned char *p = (const unsigned char *)bytes, *end = p + length;
    uint32_t h = 0, c;
    while (p < end && *p < 0x80) h = 31 * h + *p++; /* ASCII: one unit per byte */
    Utf16 u = {p, end, 0};
    while (next_unit(&u, &c)) h = 31 * h + c;
    return h;
}

/* Murmur3.hashUnencodedChars: two UTF-16 units per block. */
static uint32_t hash_unencoded_chars(const char *bytes, int64_t length) {
    const unsigned char *p = (const unsigned char *)bytes;
    Utf16 u = {p, p + length, 0};
    uint32_t h1 = 0, units = 0, lo, hi;
    while (next_unit(&u, &lo)) {
        units++;
        if (!next_unit(&u, &hi)) { h1 ^= kl_murmur_k1(lo); break; }
        units++;
        h1 = kl_murmur_h1(h1, kl_murmur_k1(lo | (hi << 16)));
    }
    return kl_murmur_fmix(h1, 2 * units);
}

/* Symbol.hasheq: Util.hashCombine(hashUnencodedChars(name), ns.hashCode()),
 * where "ns/name" has a namespace (0 when it has none). */
static uint32_t symbol_hash(kl_value full) {
    const char *bytes = kl_string_bytes(full);
    int64_t length = kl_string_length(full), slash = 0;
    while (slash < length && bytes[slash] != '/') slash++;
    uint32_t seed, ns = 0;
    if (slash > 0 && slash < length - 1) {
        seed = hash_unencoded_chars(bytes + slash + 1, length - slash - 1);
        ns = string_hash_code(bytes, slash);
    } else {
        seed = hash_unencoded_chars(bytes, length);
    }
    return seed ^ (ns + 0x9e3779b9u + (seed << 6) + (uint32_t)((int32_t)seed >> 2));
}

uint32_t kl_hash_of(kl_value v) {
    int64_t n;
    if (v == KL_NIL) return 0;
    if (v == KL_TRUE) return 1231;
    if (v == KL_FALSE) return 1237;
    if (kl_long_value(v, &n)) return kl_hash_long(n);
    if (kl_is_char(v)) return kl_char_value(v); /* Character.hashCode */
    const KeelLayout *l = kl_layout(v);
    if (l == &kl_double_layout) {
        double d = kl_double_value(v);
        if (d == 0) return 0; /* -0.0 = 0.0 */
        uint64_t bits;
        memcpy(&bits, &d, 8);
        return (uint32_t)(bits ^ (bits >> 32)); /* Double.hashCode */
    }
    if (l == &kl_string_layout) return hash_int(string_hash_code(kl_string_bytes(v), kl_string_length(v)));
    if (l == &kl_keyword_layout) return symbol_hash(kl_words(v)[0]) + 0x9e3779b9u;
    if (l == &kl_symbol_layout) return symbol_hash(kl_words(v)[0]);
    if (v == KL_EMPTY_LIST || l == &kl_cons_layout) {
        uint32_t h = 1, count = 0;
        for (kl_value p = v; p != KL_EMPTY_LIST; p = kl_words(p)[1], count++) h = 31 * h + kl_hash_of(kl_words(p)[0]);
        return mix_coll_hash(h, count);
    }
    if (kl_is_vector(v)) {
        uint32_t h = 1;
        int64_t count = kl_vector_count(v);
        for (int64_t i = 0; i < count; i++) h = 31 * h + kl_hash_of(kl_vector_nth(v, i));
        return mix_coll_hash(h, (uint32_t)count);
    }
    if (kl_is_map(v) || kl_is_set(v)) {
        /* A map entry hashes as the vector [k v]. */
        int set = kl_is_set(v);
        uint32_t h = 0, count = 0;
        KlIter it;
        kl_value key, value;
        for (kl_iter_start(&it, v); kl_iter_next(&it, &key, &value); count++)
            h += set ? kl_hash_of(key) : mix_coll_hash(31 * (31 + kl_hash_of(key)) + kl_hash_of(value), 2);
        return mix_coll_hash(h, count);
    }
    if (l == &kl_fn_layout) return kl_hash_long((int64_t)kl_words(v)[0]); /* its fn's static info: objects move */
    /* Arrays are `=` only to themselves, and objects move: one constant per kind. */
    if (l == &kl_double_array_layout) return 0x5b44u; /* "[D" */
    if (l == &kl_long_array_layout) return 0x5b4au;   /* "[J" */
    if (l == &kl_byte_array_layout) return 0x5b42u;   /* "[B" */
    return 0;
}

kl_value kl_hash(kl_value v) { return kl_fixnum((int32_t)kl_hash_of(v)); }
