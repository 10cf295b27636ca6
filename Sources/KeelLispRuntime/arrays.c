/* Clojure's primitive arrays: double-array and long-array (docs/lisp.md,
 * "Primitive arrays").  An array is a BYTES object (the collector never
 * traces its payload) whose header's nwords is its length: element i is the
 * raw IEEE double or raw int64 (not a tagged fixnum) at byte offset
 * 16 + 8 * i from the object.  Arrays are mutable and `=` only to
 * themselves (equality.c); they hash to a constant per kind (hash.c), as
 * objects move. */
#include <string.h>
#include "KeelLisp.h"

/* The largest length (Java's arrays are indexed by an int; a Keel object's
 * nwords is 32 bits). */
#define KL_ARRAY_MAX_LENGTH INT32_MAX

/* A double, converted to a long as Java's (long) cast does (Clojure's
 * long-array of doubles): toward zero, saturating, NaN 0. */
static int64_t java_long_of_double(double d) {
    if (d != d) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

static int is_list(kl_value v) { return v == KL_EMPTY_LIST || kl_layout(v) == &kl_cons_layout; }

/* The number of items of the collection `double-array`/`long-array` copies,
 * after checking each is a number (nothing allocated yet). */
static int64_t checked_items(const char *name, kl_value coll) {
    int64_t n = 0;
    if (coll == KL_NIL || coll == KL_EMPTY_LIST) return 0;
    if (kl_is_vector(coll)) {
        n = kl_vector_count(coll);
        for (int64_t i = 0; i < n; i++) {
            kl_value x = kl_vector_nth(coll, i);
            if (!kl_is_number(x))
                kl_error("ClassCastException", "%s: class %s cannot be cast to class java.lang.Number", name, kl_type_name(x));
        }
        return n;
    }
    if (kl_layout(coll) == &kl_cons_layout) {
        for (kl_value p = coll; p != KL_EMPTY_LIST; p = kl_words(p)[1], n++) {
            kl_value x = kl_words(p)[0];
            if (!kl_is_number(x))
                kl_error("ClassCastException", "%s: class %s cannot be cast to class java.lang.Number", name, kl_type_name(x));
        }
        return n;
    }
    kl_error("IllegalArgumentException", "%s: expected a size or a list or vector, got %s", name, kl_type_name(coll));
}

static double double_of(kl_value x) {
    int64_t n;
    if (kl_long_value(x, &n)) return (double)n;
    return kl_double_value(x);
}

static int64_t long_of(kl_value x) {
    int64_t n;
    if (kl_long_value(x, &n)) return n;
    return java_long_of_double(kl_double_value(x));
}

/* (double-array x) / (long-array x): x a size (an integer >= 0: zeros) or a
 * list or vector of numbers (converted). May collect. */
static kl_value make_array(const KeelLayout *layout, const char *name, kl_value x) {
    int64_t n;
    if (kl_long_value(x, &n)) {
        if (n < 0) kl_error("NegativeArraySizeException", "%s: negative size %lld", name, (long long)n);
        if (n > KL_ARRAY_MAX_LENGTH) kl_error("OutOfMemoryError", "%s: Requested array size exceeds VM limit (%lld)", name, (long long)n);
        return (kl_value)(uintptr_t)kl_alloc(layout, (uint64_t)n);   /* allocation is zeroed */
    }
    if (kl_is_number(x))
        kl_error("IllegalArgumentException", "%s: size must be an integer, got %s", name, kl_type_name(x));
    n = checked_items(name, x);
    if (n > KL_ARRAY_MAX_LENGTH) kl_error("OutOfMemoryError", "%s: Requested array size exceeds VM limit (%lld)", name, (long long)n);
    size_t mark = keel_roots_mark();
    keel_root(&x);
    kl_value a = (kl_value)(uintptr_t)kl_alloc(layout, (uint64_t)n);
    keel_roots_release(mark);
    uint64_t *out = (uint64_t *)kl_words(a);
    int doubles = layout == &kl_double_array_layout;
    int64_t i = 0;
    if (kl_is_vector(x)) {
        for (; i < n; i++) {
            kl_value item = kl_vector_nth(x, i);
            if (doubles) { double d = double_of(item); memcpy(&out[i], &d, 8); }
            else out[i] = (uint64_t)long_of(item);
        }
    } else if (is_list(x)) {
        for (kl_value p = x; p != KL_EMPTY_LIST; p = kl_words(p)[1], i++) {
            kl_value item = kl_words(p)[0];
            if (doubles) { double d = double_of(item); memcpy(&out[i], &d, 8); }
            else out[i] = (uint64_t)long_of(item);
        }
    }
    return a;
}

kl_value kl_double_array_impl(kl_value x) { return make_array(&kl_double_array_layout, "double-array", x); }
kl_value kl_long_array_impl(kl_value x) { return make_array(&kl_long_array_layout, "long-array", x); }

/* The array `a` and index `i` of aget/aset, checked. */
static int64_t checked_index(const char *name, int nargs, kl_value a, kl_value index) {
    if (!kl_is_array(a))
        kl_error("IllegalArgumentException", "No matching method %s found taking %d args: %s is not an array",
                 name, nargs, kl_type_name(a));
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "%s: index must be an integer, got %s", name, kl_type_name(index));
    int64_t n = kl_count_words(a);
    if (i < 0 || i >= n)
        kl_error("ArrayIndexOutOfBoundsException", "Index %lld out of bounds for length %lld", (long long)i, (long long)n);
    return i;
}

/* (aget a i): a fixnum or boxed long, or a boxed double. May collect. */
kl_value kl_aget_impl(kl_value a, kl_value index) {
    int64_t i = checked_index("aget", 2, a, index);
    uint64_t bits = kl_words(a)[i];
    if (kl_layout(a) == &kl_long_array_layout) return kl_integer((int64_t)bits);
    double d;
    memcpy(&d, &bits, 8);
    return kl_box_double(d);
}

/* (aset a i v): stores v (a long stored in a double-array is converted, a
 * double stored in a long-array truncated, as double-array and long-array
 * convert their items) and returns v. Never collects. */
kl_value kl_aset(kl_value a, kl_value index, kl_value v) {
    int64_t i = checked_index("aset", 3, a, index);
    if (!kl_is_number(v))
        kl_error("IllegalArgumentException", "No matching method aset found taking 3 args: a %s cannot be stored in a %s",
                 kl_type_name(v), kl_type_name(a));
    if (kl_layout(a) == &kl_long_array_layout) {
        kl_words(a)[i] = (uint64_t)long_of(v);
    } else {
        double d = double_of(v);
        memcpy(&kl_words(a)[i], &d, 8);
    }
    return v;
}

/* (alength a): a fixnum. Never collects. */
kl_value kl_alength(kl_value a) {
    if (!kl_is_array(a))
        kl_error("IllegalArgumentException", "No matching method alength found taking 1 args: %s is not an array", kl_type_name(a));
    return kl_fixnum((int64_t)kl_count_words(a));
}
