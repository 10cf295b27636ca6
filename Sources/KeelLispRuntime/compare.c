/* (compare a b) with the values Clojure 1.11's returns, since programs
 * print them: numbers -1, 0 or 1; strings as Java's String.compareTo (the
 * difference of the first differing UTF-16 code units, else of the
 * lengths); keywords and symbols by namespace (none first), then name;
 * characters by the difference of their code points; booleans false
 * first; vectors by count, then item by item; nil before everything.
 * Anything else is an error. No allocation. */
#include <string.h>
#include "KeelLisp.h"

/* UTF-16 code units of UTF-8 text, one at a time. */
typedef struct { const unsigned char *p, *end; uint32_t low; } utf16_reader;

static int next_unit(utf16_reader *r, uint32_t *unit) {
    if (r->low) { *unit = r->low; r->low = 0; return 1; }
    if (r->p >= r->end) return 0;
    uint32_t c = *r->p++;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
    while (more-- > 0 && r->p < r->end) c = (c << 6) | (*r->p++ & 0x3F);
    if (c >= 0x10000) {
        c -= 0x10000;
        r->low = 0xDC00 + (c & 0x3FF);
        c = 0xD800 + (c >> 10);
    }
    *unit = c;
    return 1;
}

static int64_t java_compare(const char *a, int64_t na, const char *b, int64_t nb) {
    utf16_reader x = {(const unsigned char *)a, (const unsigned char *)a + na, 0};
    utf16_reader y = {(const unsigned char *)b, (const unsigned char *)b + nb, 0};
    int64_t lx = 0, ly = 0;
    uint32_t u, v;
    for (;;) {
        int hu = next_unit(&x, &u), hv = next_unit(&y, &v);
        lx += hu;
        ly += hv;
        if (!hu || !hv) break;
        if (u != v) return (int64_t)u - (int64_t)v;
    }
    while (next_unit(&x, &u)) lx++;
    while (next_unit(&y, &v)) ly++;
    return lx - ly;
}

static int64_t string_compare(kl_value x, kl_value y) {
    return java_compare(kl_string_bytes(x), kl_string_length(x), kl_string_bytes(y), kl_string_length(y));
}

/* Keywords and symbols: the text splits at its first '/' as names.c does. */
static int64_t named_compare(kl_value x, kl_value y) {
    const char *a = kl_string_bytes(x), *b = kl_string_bytes(y);
    int64_t na = kl_string_length(x), nb = kl_string_length(y);
    const char *sa = na > 1 ? memchr(a, '/', (size_t)na) : NULL, *sb = nb > 1 ? memchr(b, '/', (size_t)nb) : NULL;
    if (!sa && sb) return -1;
    if (sa && !sb) return 1;
    if (sa) {
        int64_t c = java_compare(a, sa - a, b, sb - b);
        if (c != 0) return c;
        return java_compare(sa + 1, na - (sa - a) - 1, sb + 1, nb - (sb - b) - 1);
    }
    return java_compare(a, na, b, nb);
}

static int64_t compare(kl_value a, kl_value b) {
    if (a == b) return 0;
    if (a == KL_NIL) return -1;
    if (b == KL_NIL) return 1;
    if (kl_is_number(a) && kl_is_number(b)) return kl_lt(a, b) ? -1 : kl_gt(a, b) ? 1 : 0;
    const KeelLayout *la = kl_layout(a), *lb = kl_layout(b);
    if (la == &kl_string_layout && lb == &kl_string_layout) return string_compare(a, b);
    if (la == lb && (la == &kl_keyword_layout || la == &kl_symbol_layout)) return named_compare(kl_words(a)[0], kl_words(b)[0]);
    if (kl_is_char(a) && kl_is_char(b)) return (int64_t)kl_char_value(a) - (int64_t)kl_char_value(b);
    if ((a == KL_TRUE || a == KL_FALSE) && (b == KL_TRUE || b == KL_FALSE)) return a == KL_TRUE ? 1 : -1;
    if (kl_is_vector(a) && kl_is_vector(b)) {
        int64_t n = kl_vector_count(a), m = kl_vector_count(b);
        if (n != m) return n < m ? -1 : 1;
        for (int64_t i = 0; i < n; i++) {
            int64_t c = compare(kl_vector_nth(a, i), kl_vector_nth(b, i));
            if (c != 0) return c;
        }
        return 0;
    }
    kl_error("ClassCastException", "compare: %s cannot be compared with %s", kl_type_name(a), kl_type_name(b));
}

kl_value kl_compare(kl_value a, kl_value b) { return kl_fixnum(compare(a, b)); }
