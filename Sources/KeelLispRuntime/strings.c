/* Strings: immutable UTF-8; `count` and `subs` count characters (code points). */
#include <string.h>
#include "KeelLisp.h"

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
    keel_root(&s);
    kl_value r;
    r = (kl_value)(uintptr_t)kl_alloc(&kl_string_layout, 1 + ((uint64_t)(b - a) + 7) / 8);
    kl_words(r)[0] = (uint64_t)(b - a);
    memcpy(kl_words(r) + 1, kl_string_bytes(s) + a, (size_t)(b - a));
    keel_roots_release(mark);
    return r;
}
