/* The parts of a keyword's or symbol's text: `:a/b` is namespace "a" and
 * name "b". The text splits at its first '/' unless it is "/" alone, as
 * Clojure's Symbol.intern splits it. */
#include <stdlib.h>
#include <string.h>
#include "KeelLisp.h"

/* The byte offset of the '/' that ends the namespace, or -1 when there is none. */
static int64_t namespace_end(kl_value text) {
    int64_t n = kl_string_length(text);
    if (n <= 1) return -1;
    const char *slash = memchr(kl_string_bytes(text), '/', (size_t)n);
    return slash ? slash - kl_string_bytes(text) : -1;
}

/* A new string of `length` bytes of `text` from `offset`; the bytes are
 * copied out first, since the allocation may move `text`. */
static kl_value substring(kl_value text, int64_t offset, int64_t length) {
    char small[256];
    char *copy = length <= 256 ? small : malloc((size_t)length);
    memcpy(copy, kl_string_bytes(text) + offset, (size_t)length);
    kl_value s = kl_string_from(copy, length);
    if (copy != small) free(copy);
    return s;
}

static int is_named(kl_value x) { return kl_layout(x) == &kl_keyword_layout || kl_layout(x) == &kl_symbol_layout; }

/* (name x): the name of a keyword or symbol (after its namespace), or the string itself. */
kl_value kl_name_impl(kl_value x) {
    if (kl_layout(x) == &kl_string_layout) return x;
    if (!is_named(x)) kl_error("ClassCastException", "name: %s cannot be cast to clojure.lang.Named", kl_type_name(x));
    kl_value text = kl_words(x)[0];
    int64_t end = namespace_end(text);
    if (end < 0) return text;
    return substring(text, end + 1, kl_string_length(text) - end - 1);
}

/* (namespace x): the namespace of a keyword or symbol, nil when it has none. */
kl_value kl_namespace_impl(kl_value x) {
    if (!is_named(x)) kl_error("ClassCastException", "namespace: %s cannot be cast to clojure.lang.Named", kl_type_name(x));
    kl_value text = kl_words(x)[0];
    int64_t end = namespace_end(text);
    return end < 0 ? KL_NIL : substring(text, 0, end);
}
