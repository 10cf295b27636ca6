/*
 * KeelLisp's runtime: the functions compiled KeelLisp programs call
 * (docs/lisp.md describes the value representation and calling convention).
 *
 * A value (kl_value) is one 64-bit word, kept in IL class `r`:
 *
 *     ...xxxxxxx1   fixnum: a 63-bit signed integer, value = word >> 1
 *     ...xxxxx000   a heap object (Keel runtime header + payload); 0 is nil
 *     ...xxxxx010   a constant: false 0x02, true 0x0A, () 0x12, unbound 0x1A
 *     ...xxxxx100   a character: code point << 3 | 4
 *
 * The collector traces only words with the low three bits 0 (and not 0), so
 * every immediate above is safe in reference slots and fields.
 *
 * Functions whose comment says "may collect" are entered through an entry
 * stub (entry.c) so that the collector's frame walk starts at the compiled
 * caller; all others never allocate and are declared keel_nocollect by the
 * compiler.
 */
#ifndef KEEL_LISP_H
#define KEEL_LISP_H

#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stddef.h>
#include "KeelRuntime.h"

typedef uint64_t kl_value;

#define KL_NIL ((kl_value)0)
#define KL_FALSE ((kl_value)0x02)
#define KL_TRUE ((kl_value)0x0A)
#define KL_EMPTY_LIST ((kl_value)0x12)
#define KL_UNBOUND ((kl_value)0x1A)

#define KL_FIXNUM_MIN (-((int64_t)1 << 62))
#define KL_FIXNUM_MAX (((int64_t)1 << 62) - 1)

static inline int kl_is_fixnum(kl_value v) { return (v & 1) != 0; }
static inline int64_t kl_fixnum_value(kl_value v) { return (int64_t)v >> 1; }
static inline kl_value kl_fixnum(int64_t n) { return ((uint64_t)n << 1) | 1; }
static inline int kl_is_object(kl_value v) { return v != 0 && (v & 7) == 0; }
static inline int kl_is_char(kl_value v) { return (v & 7) == 4; }
static inline uint32_t kl_char_value(kl_value v) { return (uint32_t)(v >> 3); }
static inline kl_value kl_char(uint32_t c) { return ((kl_value)c << 3) | 4; }
static inline int kl_truthy(kl_value v) { return (v & ~(kl_value)2) != 0; }
static inline kl_value kl_bool(int b) { return b ? KL_TRUE : KL_FALSE; }

/* ---- Object layouts (one per type; the layout pointer is the type) ---- */
extern const KeelLayout kl_long_layout;    /* BYTES [int64]: a long outside the fixnum range */
extern const KeelLayout kl_double_layout;  /* BYTES [double] */
extern const KeelLayout kl_string_layout;  /* BYTES [byte length, UTF-8 bytes...] */
extern const KeelLayout kl_keyword_layout; /* RECORD [name string] (interned) */
extern const KeelLayout kl_symbol_layout;  /* RECORD [name string] */
extern const KeelLayout kl_cons_layout;    /* RECORD [first, rest, count fixnum] */
/* Vectors (vector.c): up to 32 items flat, more in a 32-way trie with a tail.
 * The compiler builds flat vectors of any length (literals, argument vectors);
 * the runtime makes a trie once a vector grows past 32. */
extern const KeelLayout kl_vector_layout;  /* REFS [items...]: a flat vector */
extern const KeelLayout kl_pvector_layout; /* RECORD [count, shift, root node, tail (flat)]: more than 32 items */
extern const KeelLayout kl_vnode_layout;   /* REFS [children...]: an inner node of a vector's trie */
/* Maps (array_map.c, maps.c) and sets (sets.c); hash tries in hamt.c. */
extern const KeelLayout kl_map_layout;      /* REFS [k0, v0, k1, v1...]: an array map, insertion order, <= 8 entries */
extern const KeelLayout kl_hash_map_layout; /* RECORD [count, root node or nil]: a hash map (HAMT) */
extern const KeelLayout kl_set_layout;      /* RECORD [count, root node or nil]: a hash set (HAMT, value = member) */
extern const KeelLayout kl_hnode_layout;    /* REFS [bitmap, key/value or UNBOUND/child node...] */
extern const KeelLayout kl_hcollision_layout; /* REFS [hash, k0, v0, k1, v1...]: keys with one 32-bit hash */
extern const KeelLayout kl_harray_layout;   /* REFS [count, 32 child nodes or nil]: a dense trie node (hamt.c) */
extern const KeelLayout kl_fn_layout;      /* REFS [info address | 1, captured values...] */
/* Primitive arrays (arrays.c): nwords = length; element i at byte 16 + 8 * i. */
extern const KeelLayout kl_double_array_layout; /* BYTES [raw IEEE doubles...]: double-array, "[D" */
extern const KeelLayout kl_long_array_layout;   /* BYTES [raw int64s (not fixnums)...]: long-array, "[J" */
/* A byte array is the exception: word 0 is its length n (a raw int64), then
 * n signed bytes; nwords = 1 + ceil(n / 8); element i at byte 24 + i. */
extern const KeelLayout kl_byte_array_layout;   /* BYTES [length int64, int8s...]: byte-array, "[B" */

static inline const KeelLayout *kl_layout(kl_value v) {
    return kl_is_object(v) ? *(const KeelLayout **)(uintptr_t)v : NULL;
}
static inline int kl_is_array(kl_value v) {
    const KeelLayout *l = kl_layout(v);
    return l == &kl_double_array_layout || l == &kl_long_array_layout || l == &kl_byte_array_layout;
}
static inline kl_value *kl_words(kl_value v) { return (kl_value *)keel_fields((void *)(uintptr_t)v); }
static inline uint32_t kl_count_words(kl_value v) { return keel_nwords((void *)(uintptr_t)v); }
/* The length of a primitive array (kl_is_array). */
static inline int64_t kl_array_length(kl_value a) {
    return kl_layout(a) == &kl_byte_array_layout ? (int64_t)kl_words(a)[0] : (int64_t)kl_count_words(a);
}
/* Item i (within bounds) of a primitive array as a value (arrays.c): a
 * double is boxed, so it may collect. */
kl_value kl_array_item(kl_value a, int64_t i);
/* A byte array's elements. */
static inline int8_t *kl_byte_array_bytes(kl_value a) { return (int8_t *)&kl_words(a)[1]; }

/* The static description of a compiled function (data emitted by the compiler). */
typedef struct KlFnInfo {
    const char *name;       /* "user/f" or "user/f/fn" */
    int64_t required;       /* required arguments of the variadic arity */
    void *variadic;         /* r (r self, r all-arguments list), or NULL */
    void *fixed[21];        /* r (r self, r a1 ... r an) for n = 0..20, or NULL */
} KlFnInfo;

/* ---- Errors: a message on stderr, exit status 1 ---- */
_Noreturn void kl_error(const char *kind, const char *format, ...);
_Noreturn void kl_not_fn_error(kl_value f);
_Noreturn void kl_arity_error(kl_value f, int64_t n);
_Noreturn void kl_unbound_error(const char *name);
_Noreturn void kl_case_error(kl_value v);
/* The active KeelLisp functions, innermost first, on stderr. */
void kl_print_backtrace(void);
/* The REPL: where kl_error jumps instead of exiting (NULL in a program),
 * and the backtrace table of each loaded input. */
extern jmp_buf *kl_error_recovery;
void kl_register_functions(const void *table, const void *text_end);

/* ---- Allocation helpers (may collect) ---- */
/* A zeroed object: the nursery's bump path inline (as compiled code does it),
 * else the runtime's implementation (not the keel_alloc stub, which would
 * record this C frame as the start of the stack walk: entry.c). */
static inline void *kl_alloc(const KeelLayout *layout, uint64_t nwords) {
    uintptr_t p = (uintptr_t)keel_nursery.ptr, bytes = KEEL_HEADER_BYTES + 8 * nwords;
    if (nwords > 1022 || p + bytes > (uintptr_t)keel_nursery.limit) return keel_alloc_impl(layout, nwords);
    keel_nursery.ptr = (char *)(p + bytes);
    ((uint64_t *)p)[0] = (uint64_t)(uintptr_t)layout;
    ((uint64_t *)p)[1] = nwords;
    return (void *)p;
}
/* Whether the next allocations of `bytes` in all take the bump path above,
 * so that none of them can collect (never under KEEL_GC_STRESS, whose limit
 * is 0). */
static inline int kl_nursery_has_room(uintptr_t bytes) {
    return (uintptr_t)keel_nursery.limit - (uintptr_t)keel_nursery.ptr >= bytes && keel_nursery.limit != NULL;
}
/* Whether an object of `nwords` takes the bump path above with no collection
 * (at most 8 KiB, and room left). */
static inline int kl_nursery_fits(uint64_t nwords) {
    return nwords <= 1022 && kl_nursery_has_room(KEEL_HEADER_BYTES + 8 * (uintptr_t)nwords);
}
/* A copy of `node` of layout `layout` with `n` words (its first ones, then
 * nil), for a caller that found room (kl_nursery_fits or a larger bound):
 * nothing can collect, so `node` needs no root, and the copy is a nursery
 * object, whose cards a minor collection clears without scanning, so its
 * words need no card marks (runtime.md, "Write barrier"). */
static inline kl_value kl_copy_in_nursery(const KeelLayout *layout, kl_value node, uint32_t n) {
    kl_value copy = (kl_value)(uintptr_t)kl_alloc(layout, n);
    uint32_t m = keel_nwords((void *)(uintptr_t)node) < n ? (uint32_t)keel_nwords((void *)(uintptr_t)node) : n;
    memcpy(keel_fields((void *)(uintptr_t)copy), keel_fields((void *)(uintptr_t)node), 8 * (size_t)m);
    return copy;
}
/* The card marks of stores into every field of `object`, done at once after
 * its fields were written without the barrier (memcpy). */
static inline void kl_mark_fields_written(kl_value object) {
    uintptr_t first = (uintptr_t)keel_fields((void *)(uintptr_t)object), n = keel_nwords((void *)(uintptr_t)object);
    if (n == 0) return;
    for (uintptr_t card = first >> KEEL_CARD_SHIFT, last = (first + 8 * (n - 1)) >> KEEL_CARD_SHIFT; card <= last; card++)
        keel_card_table[card] = 1;
}
kl_value kl_box_long(int64_t n);
kl_value kl_box_double(double d);
kl_value kl_string_from(const char *bytes, int64_t length);
kl_value kl_integer(int64_t n); /* fixnum or boxed */

/* ---- Type tests (no collection) ---- */
int kl_is_number(kl_value v);
int kl_is_string(kl_value v);
int kl_is_seqable_list(kl_value v);
const char *kl_type_name(kl_value v);
/* The integer value of a fixnum or boxed long: inline, since nearly every
 * runtime function that takes a number or an index starts with it. */
static inline int kl_long_value(kl_value v, int64_t *out) {
    if (kl_is_fixnum(v)) { *out = kl_fixnum_value(v); return 1; }
    if (kl_layout(v) == &kl_long_layout) { *out = (int64_t)kl_words(v)[0]; return 1; }
    return 0;
}
double kl_double_value(kl_value v);

/* ---- Strings ---- */
static inline int64_t kl_string_length(kl_value s) { return (int64_t)kl_words(s)[0]; }
static inline const char *kl_string_bytes(kl_value s) { return (const char *)(kl_words(s) + 1); }

/* Characters (code points) in UTF-8 text. */
int64_t kl_utf8_count(const char *bytes, int64_t length);

/* A growable C byte buffer for building strings (malloc'd, no GC objects). */
typedef struct KlBuffer { char *bytes; size_t length, capacity; } KlBuffer;
void kl_buffer_append(KlBuffer *b, const char *bytes, size_t n);
void kl_buffer_appendc(KlBuffer *b, const char *text);
/* Appends the printed form of v: readably (pr) or not (print). */
void kl_print_to(KlBuffer *b, kl_value v, int readably);

/* ---- Equality (no collection) ---- */
int kl_equiv(kl_value a, kl_value b);

/* ---- Sequences over the simple collections ---- */
int64_t kl_count_of(kl_value coll);

/* ---- Hashing (hash.c, Clojure's hasheq; no collection) ---- */
uint32_t kl_hash_of(kl_value v);
/* Murmur3 (32-bit) steps as clojure.lang.Murmur3 uses them; inline so that
 * a map operation on an integer key hashes it without a call. */
static inline uint32_t kl_murmur_rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t kl_murmur_k1(uint32_t k1) { return kl_murmur_rotl(k1 * 0xcc9e2d51u, 15) * 0x1b873593u; }
static inline uint32_t kl_murmur_h1(uint32_t h1, uint32_t k1) { return kl_murmur_rotl(h1 ^ k1, 13) * 5 + 0xe6546b64u; }
static inline uint32_t kl_murmur_fmix(uint32_t h1, uint32_t length) {
    h1 ^= length;
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    return h1 ^ (h1 >> 16);
}
/* Murmur3.hashLong: the hash of every integer. */
static inline uint32_t kl_hash_long(int64_t n) {
    if (n == 0) return 0;
    uint32_t h1 = kl_murmur_h1(0, kl_murmur_k1((uint32_t)(uint64_t)n));
    return kl_murmur_fmix(kl_murmur_h1(h1, kl_murmur_k1((uint32_t)((uint64_t)n >> 32))), 8);
}
/* A map or set key's hash, integers (the common key) inline. */
static inline uint32_t kl_hash_key(kl_value key) {
    return kl_is_fixnum(key) ? kl_hash_long(kl_fixnum_value(key)) : kl_hash_of(key);
}
/* `=` on keys; two integers compare as words (a boxed long is never in the
 * fixnum range, so it never equals a fixnum). */
static inline int kl_key_equiv(kl_value a, kl_value b) {
    return a == b || (!(kl_is_fixnum(a) && kl_is_fixnum(b)) && kl_equiv(a, b));
}

/* ---- Persistent vectors (vector.c) ---- */
static inline int kl_is_vector(kl_value v) {
    const KeelLayout *l = kl_layout(v);
    return l == &kl_vector_layout || l == &kl_pvector_layout;
}
int64_t kl_vector_count(kl_value v);
int kl_lt(kl_value a, kl_value b);                          /* numbers only; no collection */
int kl_gt(kl_value a, kl_value b);
kl_value kl_vector_nth(kl_value v, int64_t i);            /* 0 <= i < count; no collection */
kl_value kl_vector_conj(kl_value v, kl_value x);          /* may collect */
kl_value kl_vector_from_seq(kl_value seq, int64_t n);     /* the first n > 32 items of a list; may collect */
kl_value kl_vector_assoc(kl_value v, int64_t i, kl_value x); /* 0 <= i <= count; may collect */
kl_value kl_vector_pop(kl_value v);                       /* count > 0; may collect */

/* ---- Hash array mapped tries (hamt.c); a root of nil is empty ---- */
/* The updates may collect unless cannot_collect: kl_hamt_can_skip_roots
 * found room in the nursery for them (and `more` bytes the caller allocates
 * next). Then they return KL_UNBOUND, having allocated nothing, when they
 * need roots after all (a big collision node): run them again without
 * cannot_collect. */
kl_value kl_hamt_assoc(kl_value root, uint32_t hash, kl_value key, kl_value value, int *added, int cannot_collect);
kl_value kl_hamt_without(kl_value root, uint32_t hash, kl_value key, int cannot_collect); /* nil when empty */
int kl_hamt_can_skip_roots(kl_value root, uint32_t hash, kl_value key, uintptr_t more);
int kl_hamt_find(kl_value root, uint32_t hash, kl_value key, kl_value *value);

/* ---- Maps and sets (array_map.c, maps.c, sets.c) ---- */
static inline int kl_is_map(kl_value v) {
    const KeelLayout *l = kl_layout(v);
    return l == &kl_map_layout || l == &kl_hash_map_layout;
}
static inline int kl_is_set(kl_value v) { return kl_layout(v) == &kl_set_layout; }
int64_t kl_map_count(kl_value m);                          /* a map or a set */
kl_value kl_map_assoc(kl_value m, kl_value key, kl_value value); /* m a map or nil; may collect */
kl_value kl_map_without(kl_value m, kl_value key);         /* may collect */
kl_value kl_array_map_assoc(kl_value m, kl_value key, kl_value value); /* may collect */
kl_value kl_array_map_without(kl_value m, kl_value key);   /* may collect */
int64_t kl_array_map_index(kl_value m, kl_value key);      /* word index of the key, or -1 */
kl_value kl_empty_hash_map(void);                          /* may collect */
kl_value kl_hamt_record(const KeelLayout *layout, int64_t count, kl_value root); /* a hash map or set; may collect */
kl_value kl_set_conj(kl_value s, kl_value x);              /* may collect */
kl_value kl_set_disj(kl_value s, kl_value x);              /* may collect */
kl_value kl_empty_set(void);                               /* may collect */

/* Finds key in a map, or a set (value: the member); inline, as (get m k)
 * and (contains? m k) are one call into the runtime. */
static inline int kl_map_find(kl_value m, kl_value key, kl_value *value) {
    if (kl_layout(m) == &kl_map_layout) {
        int64_t i = kl_array_map_index(m, key);
        if (i >= 0) *value = kl_words(m)[i + 1];
        return i >= 0;
    }
    return kl_hamt_find(kl_words(m)[1], kl_hash_key(key), key, value);
}

/* Iteration over a map's entries (array maps in insertion order, hash maps
 * in trie order) or a set's members (value = member).  Holds raw pointers:
 * nothing may allocate between kl_iter_start and the last kl_iter_next. */
typedef struct KlIter {
    kl_value coll;
    uint32_t index;        /* array map: next word */
    int depth;             /* hash trie: the path of nodes and positions */
    kl_value node[9];
    uint32_t pos[9];
} KlIter;
void kl_iter_start(KlIter *it, kl_value coll);
int kl_iter_next(KlIter *it, kl_value *key, kl_value *value);

#endif
