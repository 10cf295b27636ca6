/* (hash x): a 32-bit hash consistent with `=` (equality.c): equal values
 * hash alike whatever their representation (a list and a vector with the
 * same items; maps and sets in any insertion order, through an
 * order-independent sum).  The values differ from Clojure's; the HAMT maps
 * and sets will be built on this function.  Never collects. */
#include <string.h>
#include "KeelLisp.h"

static uint32_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)(z ^ (z >> 31));
}

static uint32_t bytes_hash(const char *bytes, int64_t n, uint32_t seed) {
    uint32_t h = 2166136261u ^ seed;
    for (int64_t i = 0; i < n; i++) h = (h ^ (unsigned char)bytes[i]) * 16777619u;
    return mix(h);
}

uint32_t kl_hash_of(kl_value v) {
    int64_t n;
    if (v == KL_NIL) return 0;
    if (v == KL_TRUE) return 1231;
    if (v == KL_FALSE) return 1237;
    if (kl_long_value(v, &n)) return mix((uint64_t)n);
    if (kl_is_char(v)) return mix(kl_char_value(v) ^ 0x63686172u);
    const KeelLayout *l = kl_layout(v);
    if (l == &kl_double_layout) {
        double d = kl_double_value(v);
        if (d == 0) d = 0; /* -0.0 = 0.0 */
        uint64_t bits;
        memcpy(&bits, &d, 8);
        return mix(bits ^ 0x646f75626c65ull);
    }
    if (l == &kl_string_layout) return bytes_hash(kl_string_bytes(v), kl_string_length(v), 0);
    if (l == &kl_keyword_layout) return bytes_hash(kl_string_bytes(kl_words(v)[0]), kl_string_length(kl_words(v)[0]), 0x3a);
    if (l == &kl_symbol_layout) return bytes_hash(kl_string_bytes(kl_words(v)[0]), kl_string_length(kl_words(v)[0]), 0x27);
    if (v == KL_EMPTY_LIST || l == &kl_cons_layout || l == &kl_vector_layout) {
        uint32_t h = 1;
        if (l == &kl_vector_layout)
            for (uint32_t i = 0; i < kl_count_words(v); i++) h = 31 * h + kl_hash_of(kl_words(v)[i]);
        else
            for (kl_value p = v; p != KL_EMPTY_LIST; p = kl_words(p)[1]) h = 31 * h + kl_hash_of(kl_words(p)[0]);
        return mix(h);
    }
    if (l == &kl_map_layout) {
        uint32_t h = 0;
        for (uint32_t i = 0; i < kl_count_words(v); i += 2)
            h += kl_hash_of(kl_words(v)[i]) ^ kl_hash_of(kl_words(v)[i + 1]);
        return mix(h ^ 0x6d6170u);
    }
    if (l == &kl_set_layout) {
        uint32_t h = 0;
        for (uint32_t i = 0; i < kl_count_words(v); i++) h += kl_hash_of(kl_words(v)[i]);
        return mix(h ^ 0x736574u);
    }
    if (l == &kl_fn_layout) return mix(kl_words(v)[0]); /* its fn's static info: objects move */
    return 0;
}

kl_value kl_hash(kl_value v) { return kl_fixnum((int32_t)kl_hash_of(v)); }
