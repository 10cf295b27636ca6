/* Clojure's primitive arrays: double-array, long-array and byte-array
 * (docs/lisp.md, "Primitive arrays").  An array is a BYTES object (the
 * collector never traces its payload).  A double or long array's header's
 * nwords is its length: element i is the raw IEEE double or raw int64 (not
 * a tagged fixnum) at byte offset 16 + 8 * i from the object.  A byte
 * array's word 0 is its length n (a raw int64) and element i the signed
 * byte at byte offset 24 + i; its nwords is 1 + ceil(n / 8).  Arrays are mutable and `=` only to
 * themselves (equality.c); they hash to a constant per kind (hash.c), as
 * objects move. */
#include <stdio.h>
#include <stdlib.h>
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

/* A number's low 8 bits as Java's Number.byteValue() takes them (Clojure's
 * byte-array items, unchecked-byte): a long's low byte; a double converted
 * to an int first (toward zero, saturating, NaN 0). */
static int8_t java_byte_of(kl_value x) {
    int64_t n;
    if (kl_long_value(x, &n)) return (int8_t)(uint8_t)(uint64_t)n;
    double d = kl_double_value(x);
    int32_t i = d != d ? 0 : d >= 2147483647.0 ? INT32_MAX : d <= -2147483648.0 ? INT32_MIN : (int32_t)d;
    return (int8_t)(uint8_t)(uint32_t)i;
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

/* The number of words of an array of n elements. */
static uint64_t array_nwords(const KeelLayout *layout, int64_t n) {
    return layout == &kl_byte_array_layout ? 1 + ((uint64_t)n + 7) / 8 : (uint64_t)n;
}

/* A fresh zeroed array of n elements (a byte array's length set). May collect. */
static kl_value alloc_array(const KeelLayout *layout, int64_t n) {
    kl_value a = (kl_value)(uintptr_t)kl_alloc(layout, array_nwords(layout, n));   /* allocation is zeroed */
    if (layout == &kl_byte_array_layout) kl_words(a)[0] = (uint64_t)n;
    return a;
}

static void store_item(const KeelLayout *layout, kl_value a, int64_t i, kl_value item) {
    uint64_t *out = (uint64_t *)kl_words(a);
    if (layout == &kl_double_array_layout) { double d = double_of(item); memcpy(&out[i], &d, 8); }
    else if (layout == &kl_long_array_layout) out[i] = (uint64_t)long_of(item);
    else kl_byte_array_bytes(a)[i] = java_byte_of(item);
}

/* (double-array x) / (long-array x) / (byte-array x): x a size (an integer
 * >= 0: zeros) or a list or vector of numbers (converted: a byte-array
 * keeps a long's low 8 bits, as Clojure's does). May collect. */
static kl_value make_array(const KeelLayout *layout, const char *name, kl_value x) {
    int64_t n;
    if (kl_long_value(x, &n)) {
        if (n < 0) kl_error("NegativeArraySizeException", "%s: negative size %lld", name, (long long)n);
        if (n > KL_ARRAY_MAX_LENGTH) kl_error("OutOfMemoryError", "%s: Requested array size exceeds VM limit (%lld)", name, (long long)n);
        return alloc_array(layout, n);
    }
    if (kl_is_number(x))
        kl_error("IllegalArgumentException", "%s: size must be an integer, got %s", name, kl_type_name(x));
    n = checked_items(name, x);
    if (n > KL_ARRAY_MAX_LENGTH) kl_error("OutOfMemoryError", "%s: Requested array size exceeds VM limit (%lld)", name, (long long)n);
    size_t mark = keel_roots_mark();
    keel_root(&x);
    kl_value a = alloc_array(layout, n);
    keel_roots_release(mark);
    int64_t i = 0;
    if (kl_is_vector(x)) {
        for (; i < n; i++) store_item(layout, a, i, kl_vector_nth(x, i));
    } else if (is_list(x)) {
        for (kl_value p = x; p != KL_EMPTY_LIST; p = kl_words(p)[1], i++) store_item(layout, a, i, kl_words(p)[0]);
    }
    return a;
}

kl_value kl_double_array_impl(kl_value x) { return make_array(&kl_double_array_layout, "double-array", x); }
kl_value kl_long_array_impl(kl_value x) { return make_array(&kl_long_array_layout, "long-array", x); }
kl_value kl_byte_array_impl(kl_value x) { return make_array(&kl_byte_array_layout, "byte-array", x); }

/* The array `a` and index `i` of aget/aset, checked. */
static int64_t checked_index(const char *name, int nargs, kl_value a, kl_value index) {
    if (!kl_is_array(a))
        kl_error("IllegalArgumentException", "No matching method %s found taking %d args: %s is not an array",
                 name, nargs, kl_type_name(a));
    int64_t i;
    if (!kl_long_value(index, &i)) kl_error("IllegalArgumentException", "%s: index must be an integer, got %s", name, kl_type_name(index));
    int64_t n = kl_array_length(a);
    if (i < 0 || i >= n)
        kl_error("ArrayIndexOutOfBoundsException", "Index %lld out of bounds for length %lld", (long long)i, (long long)n);
    return i;
}

/* Item i (within bounds) of array a as a value: a fixnum or boxed long, or
 * a boxed double; a byte array's is a fixnum -128..127. May collect. */
kl_value kl_array_item(kl_value a, int64_t i) {
    if (kl_layout(a) == &kl_byte_array_layout) return kl_fixnum(kl_byte_array_bytes(a)[i]);
    uint64_t bits = kl_words(a)[i];
    if (kl_layout(a) == &kl_long_array_layout) return kl_integer((int64_t)bits);
    double d;
    memcpy(&d, &bits, 8);
    return kl_box_double(d);
}

/* (aget a i). May collect. */
kl_value kl_aget_impl(kl_value a, kl_value index) { return kl_array_item(a, checked_index("aget", 2, a, index)); }

/* (aset a i v): stores v (a long stored in a double-array is converted, a
 * double stored in a long-array truncated, as double-array and long-array
 * convert their items) and returns v.  A byte array takes only an integer
 * -128..127 (Clojure's takes only a Byte: `byte` or `unchecked-byte` of a
 * number; it finds no aset method for a long or a double). Never collects. */
kl_value kl_aset(kl_value a, kl_value index, kl_value v) {
    int64_t i = checked_index("aset", 3, a, index);
    if (!kl_is_number(v))
        kl_error("IllegalArgumentException", "No matching method aset found taking 3 args: a %s cannot be stored in a %s",
                 kl_type_name(v), kl_type_name(a));
    if (kl_layout(a) == &kl_byte_array_layout) {
        int64_t n;
        if (!kl_long_value(v, &n))
            kl_error("IllegalArgumentException", "No matching method aset found taking 3 args: a %s cannot be stored in a [B",
                     kl_type_name(v));
        if (n < -128 || n > 127)
            kl_error("IllegalArgumentException",
                     "No matching method aset found taking 3 args: %lld is out of range for a [B (-128..127: use unchecked-byte)",
                     (long long)n);
        kl_byte_array_bytes(a)[i] = (int8_t)n;
    } else if (kl_layout(a) == &kl_long_array_layout) {
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
    return kl_fixnum(kl_array_length(a));
}

/* (unchecked-byte x): the low 8 bits of a number as a signed byte (a
 * double converted to an int first, as Java's Number.byteValue()): a
 * fixnum -128..127. Never collects. */
kl_value kl_unchecked_byte(kl_value x) {
    if (!kl_is_number(x))
        kl_error("ClassCastException", "unchecked-byte: class %s cannot be cast to class java.lang.Number", kl_type_name(x));
    return kl_fixnum(java_byte_of(x));
}

/* (byte x): an integer -128..127 is itself; a double is truncated toward
 * zero (as `long`), then range-checked ("Value out of range for byte", as
 * Clojure). Never collects (errors print the value into a C buffer). */
kl_value kl_byte(kl_value x) {
    if (!kl_is_number(x))
        kl_error("ClassCastException", "byte: class %s cannot be cast to class java.lang.Number", kl_type_name(x));
    int64_t n;
    int in_range;
    const char *type = "byte";
    if (kl_long_value(x, &n)) in_range = n >= -128 && n <= 127;
    else {
        double d = kl_double_value(x);
        if (d != d) return kl_fixnum(0);
        in_range = d > -129.0 && d < 128.0;
        n = in_range ? (int64_t)d : 0;
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) type = "long"; /* Clojure's long cast fails first */
    }
    if (!in_range) {
        char text[64];
        KlBuffer b = {0};
        kl_print_to(&b, x, 1);
        snprintf(text, sizeof text, "%.*s", (int)b.length, b.bytes);
        free(b.bytes);
        kl_error("IllegalArgumentException", "Value out of range for %s: %s", type, text);
    }
    return kl_fixnum(n);
}
