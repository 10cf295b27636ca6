/* Persistent vectors: Bagwell's and Hickey's 32-way trie with a tail.
 *
 * A vector of up to 32 items is flat (kl_vector_layout: the items), which is
 * also what the compiler builds for literals and argument vectors (of any
 * length).  A longer one is a record {count, shift, root, tail}: the last
 * 1..32 items in `tail` (a flat vector, so conj usually copies only the
 * tail), the others in the leaves of a trie of 32-way nodes under `root`,
 * `shift` / 5 levels above the leaves.  Leaves are full flat vectors of 32;
 * inner nodes (kl_vnode_layout) hold exactly as many children as are used.
 * conj, assoc, nth and pop touch one path: O(log32 n).  Nothing is ever
 * written after it is shared, so old and new versions share all the rest.
 *
 * Every function that allocates keeps its references in a root scope: the
 * collector moves objects, and a C local is in no stack map. */
#include "KeelLisp.h"

#define ROOT(v) keel_root(&(v))
#define OBJ(v) ((void *)(uintptr_t)(v))

enum { BITS = 5, WIDTH = 32, MASK = 31 };

static kl_value alloc(const KeelLayout *layout, uint32_t n) { return (kl_value)(uintptr_t)kl_alloc(layout, n); }

static int64_t pv_count(kl_value v) { return kl_fixnum_value(kl_words(v)[0]); }
static int pv_shift(kl_value v) { return (int)kl_fixnum_value(kl_words(v)[1]); }
static kl_value pv_root(kl_value v) { return kl_words(v)[2]; }
static kl_value pv_tail(kl_value v) { return kl_words(v)[3]; }

int64_t kl_vector_count(kl_value v) {
    return kl_layout(v) == &kl_vector_layout ? (int64_t)kl_count_words(v) : pv_count(v);
}

kl_value kl_vector_nth(kl_value v, int64_t i) {
    if (kl_layout(v) == &kl_vector_layout) return kl_words(v)[i];
    kl_value tail = pv_tail(v);
    int64_t tail_offset = pv_count(v) - kl_count_words(tail);
    if (i >= tail_offset) return kl_words(tail)[i - tail_offset];
    kl_value node = pv_root(v);
    for (int level = pv_shift(v); level > 0; level -= BITS) node = kl_words(node)[(i >> level) & MASK];
    return kl_words(node)[i & MASK];
}

/* A copy of `node` with `n` words (cut short, or longer with nil words). */
static kl_value copy_node(const KeelLayout *layout, kl_value node, uint32_t n) {
    if (kl_nursery_fits(n)) return kl_copy_in_nursery(layout, node, n); /* nothing can collect */
    size_t mark = keel_roots_mark();
    ROOT(node);
    kl_value copy = alloc(layout, n);
    uint32_t m = kl_count_words(node) < n ? kl_count_words(node) : n;
    for (uint32_t i = 0; i < m; i++) keel_store(OBJ(copy), i, OBJ(kl_words(node)[i]));
    keel_roots_release(mark);
    return copy;
}

static kl_value make_pvector(int64_t count, int shift, kl_value root, kl_value tail) {
    size_t mark = keel_roots_mark();
    ROOT(root);
    ROOT(tail);
    kl_value v = alloc(&kl_pvector_layout, 4);
    kl_words(v)[0] = kl_fixnum(count);
    kl_words(v)[1] = kl_fixnum(shift);
    keel_store(OBJ(v), 2, OBJ(root));
    keel_store(OBJ(v), 3, OBJ(tail));
    keel_roots_release(mark);
    return v;
}

/* `node` under `level` / 5 new single-child nodes. */
static kl_value new_path(int level, kl_value node) {
    size_t mark = keel_roots_mark();
    ROOT(node);
    for (; level > 0; level -= BITS) {
        kl_value parent = alloc(&kl_vnode_layout, 1);
        keel_store(OBJ(parent), 0, OBJ(node));
        node = parent;
    }
    keel_roots_release(mark);
    return node;
}

/* `parent` (at `level`) with the full tail of a vector of `count` items
 * added as its next leaf. */
static kl_value push_tail(int64_t count, int level, kl_value parent, kl_value tail) {
    size_t mark = keel_roots_mark();
    kl_value child = KL_NIL;
    ROOT(parent);
    ROOT(tail);
    ROOT(child);
    uint32_t sub = (uint32_t)((count - 1) >> level) & MASK, n = kl_count_words(parent);
    if (level == BITS) child = tail;
    else if (sub < n) child = push_tail(count, level - BITS, kl_words(parent)[sub], tail);
    else child = new_path(level - BITS, tail);
    kl_value copy = copy_node(&kl_vnode_layout, parent, sub < n ? n : sub + 1);
    keel_store(OBJ(copy), sub, OBJ(child));
    keel_roots_release(mark);
    return copy;
}

/* Builds a trie vector from a flat vector longer than 32 (a literal). */
static kl_value from_long_flat(kl_value flat) {
    size_t mark = keel_roots_mark();
    kl_value v = KL_NIL;
    ROOT(flat);
    ROOT(v);
    v = alloc(&kl_vector_layout, 0);
    for (uint32_t i = 0; i < kl_count_words(flat); i++) v = kl_vector_conj(v, kl_words(flat)[i]);
    keel_roots_release(mark);
    return v;
}

/* The vector of the first n items of list `seq` (n > 32), built bottom-up in
 * the shape n conj's would make: the last 1..32 items in the tail, full
 * leaves of 32, inner nodes packed to the left with exactly their used
 * children, the root `shift` / 5 levels above the leaves.  Each item and
 * node is written once, where conj would copy the tail at every step. */
kl_value kl_vector_from_seq(kl_value seq, int64_t n) {
    size_t mark = keel_roots_mark();
    kl_value level = KL_NIL, next = KL_NIL, node = KL_NIL, tail = KL_NIL;
    ROOT(seq);
    ROOT(level);
    ROOT(next);
    ROOT(node);
    ROOT(tail);
    int64_t tail_length = n - WIDTH * ((n - 1) / WIDTH), leaves = (n - tail_length) / WIDTH;
    /* The leaves, held in a REFS object while the rest is allocated. */
    level = alloc(&kl_vnode_layout, (uint32_t)leaves);
    for (int64_t k = 0; k < leaves; k++) {
        node = alloc(&kl_vector_layout, WIDTH);
        for (uint32_t i = 0; i < WIDTH; i++, seq = kl_words(seq)[1]) keel_store(OBJ(node), i, OBJ(kl_words(seq)[0]));
        keel_store(OBJ(level), (uint64_t)k, OBJ(node));
    }
    tail = alloc(&kl_vector_layout, (uint32_t)tail_length);
    for (uint32_t i = 0; i < tail_length; i++, seq = kl_words(seq)[1]) keel_store(OBJ(tail), i, OBJ(kl_words(seq)[0]));
    int shift = BITS;
    while (leaves > ((int64_t)1 << shift)) shift += BITS;
    /* shift / 5 levels of inner nodes, each grouping the one below by 32. */
    int64_t count = leaves;
    for (int l = 0; l < shift; l += BITS) {
        int64_t parents = (count + WIDTH - 1) / WIDTH;
        next = alloc(&kl_vnode_layout, (uint32_t)parents);
        for (int64_t p = 0; p < parents; p++) {
            uint32_t children = (uint32_t)(count - p * WIDTH < WIDTH ? count - p * WIDTH : WIDTH);
            node = alloc(&kl_vnode_layout, children);
            for (uint32_t c = 0; c < children; c++)
                keel_store(OBJ(node), c, OBJ(kl_words(level)[p * WIDTH + c]));
            keel_store(OBJ(next), (uint64_t)p, OBJ(node));
        }
        level = next;
        count = parents;
    }
    kl_value v = make_pvector(n, shift, kl_words(level)[0], tail);
    keel_roots_release(mark);
    return v;
}

kl_value kl_vector_conj(kl_value v, kl_value x) {
    size_t mark = keel_roots_mark();
    kl_value root = KL_NIL, tail = KL_NIL, result = KL_NIL;
    ROOT(v);
    ROOT(x);
    ROOT(root);
    ROOT(tail);
    ROOT(result);
    int64_t count;
    int shift;
    if (kl_layout(v) == &kl_vector_layout) {
        uint32_t n = kl_count_words(v);
        if (n < WIDTH) {
            result = copy_node(&kl_vector_layout, v, n + 1);
            keel_store(OBJ(result), n, OBJ(x));
            keel_roots_release(mark);
            return result;
        }
        if (n > WIDTH) v = from_long_flat(v);
    }
    if (kl_layout(v) == &kl_vector_layout) {
        /* 32 items: a trie with an empty root and the items as its full tail. */
        count = WIDTH;
        shift = BITS;
        root = alloc(&kl_vnode_layout, 0);
        tail = v;
    } else {
        count = pv_count(v);
        shift = pv_shift(v);
        root = pv_root(v);
        tail = pv_tail(v);
    }
    uint32_t tail_length = kl_count_words(tail);
    if (tail_length < WIDTH) {
        tail = copy_node(&kl_vector_layout, tail, tail_length + 1);
        keel_store(OBJ(tail), tail_length, OBJ(x));
    } else {
        /* The full tail becomes a leaf; a new level when the root is full. */
        if ((count >> BITS) > ((int64_t)1 << shift)) {
            result = new_path(shift, tail);
            kl_value top = alloc(&kl_vnode_layout, 2);
            keel_store(OBJ(top), 0, OBJ(root));
            keel_store(OBJ(top), 1, OBJ(result));
            root = top;
            shift += BITS;
        } else {
            root = push_tail(count, shift, root, tail);
        }
        tail = alloc(&kl_vector_layout, 1);
        keel_store(OBJ(tail), 0, OBJ(x));
    }
    result = make_pvector(count + 1, shift, root, tail);
    keel_roots_release(mark);
    return result;
}

/* `node` (at `level`) with item i replaced. */
static kl_value assoc_in_node(int level, kl_value node, int64_t i, kl_value x) {
    size_t mark = keel_roots_mark();
    kl_value child = KL_NIL;
    ROOT(node);
    ROOT(x);
    ROOT(child);
    uint32_t sub = (uint32_t)(i >> level) & MASK;
    if (level == 0) child = x;
    else child = assoc_in_node(level - BITS, kl_words(node)[sub], i, x);
    kl_value copy = copy_node(kl_layout(node), node, kl_count_words(node));
    keel_store(OBJ(copy), sub, OBJ(child));
    keel_roots_release(mark);
    return copy;
}

kl_value kl_vector_assoc(kl_value v, int64_t i, kl_value x) {
    if (i == kl_vector_count(v)) return kl_vector_conj(v, x);
    if (kl_layout(v) == &kl_vector_layout && kl_nursery_fits(kl_count_words(v))) {
        /* A flat vector copied where nothing can collect: no roots (kl_copy_in_nursery). */
        kl_value result = kl_copy_in_nursery(&kl_vector_layout, v, kl_count_words(v));
        kl_words(result)[i] = x;
        return result;
    }
    size_t mark = keel_roots_mark();
    kl_value result = KL_NIL;
    ROOT(v);
    ROOT(x);
    ROOT(result);
    if (kl_layout(v) == &kl_vector_layout) {
        result = copy_node(&kl_vector_layout, v, kl_count_words(v));
        keel_store(OBJ(result), (uint64_t)i, OBJ(x));
    } else {
        int64_t tail_offset = pv_count(v) - kl_count_words(pv_tail(v));
        if (i >= tail_offset) {
            result = copy_node(&kl_vector_layout, pv_tail(v), kl_count_words(pv_tail(v)));
            keel_store(OBJ(result), (uint64_t)(i - tail_offset), OBJ(x));
            result = make_pvector(pv_count(v), pv_shift(v), pv_root(v), result);
        } else {
            result = assoc_in_node(pv_shift(v), pv_root(v), i, x);
            result = make_pvector(pv_count(v), pv_shift(v), result, pv_tail(v));
        }
    }
    keel_roots_release(mark);
    return result;
}

/* `node` (at `level`) without its last leaf, of a vector of `count` items;
 * nil when nothing is left. */
static kl_value pop_tail(int64_t count, int level, kl_value node) {
    size_t mark = keel_roots_mark();
    kl_value child = KL_NIL, result = KL_NIL;
    ROOT(node);
    ROOT(child);
    ROOT(result);
    uint32_t sub = (uint32_t)((count - 2) >> level) & MASK;
    if (level > BITS) {
        child = pop_tail(count, level - BITS, kl_words(node)[sub]);
        if (child != KL_NIL || sub != 0) {
            result = copy_node(&kl_vnode_layout, node, child == KL_NIL ? sub : sub + 1);
            if (child != KL_NIL) keel_store(OBJ(result), sub, OBJ(child));
        }
    } else if (sub != 0) {
        result = copy_node(&kl_vnode_layout, node, sub);
    }
    keel_roots_release(mark);
    return result;
}

kl_value kl_vector_pop(kl_value v) {
    if (kl_layout(v) == &kl_vector_layout) return copy_node(&kl_vector_layout, v, kl_count_words(v) - 1);
    size_t mark = keel_roots_mark();
    kl_value tail = KL_NIL, root = KL_NIL, result = KL_NIL;
    ROOT(v);
    ROOT(tail);
    ROOT(root);
    ROOT(result);
    int64_t count = pv_count(v);
    int shift = pv_shift(v);
    uint32_t tail_length = kl_count_words(pv_tail(v));
    if (tail_length > 1) {
        tail = copy_node(&kl_vector_layout, pv_tail(v), tail_length - 1);
        result = make_pvector(count - 1, shift, pv_root(v), tail);
    } else {
        /* The last leaf becomes the tail; 32 items left are that leaf alone. */
        tail = pv_root(v);
        for (int level = shift; level > 0; level -= BITS) tail = kl_words(tail)[((count - 2) >> level) & MASK];
        if (count - 1 == WIDTH) {
            result = tail;
        } else {
            root = pop_tail(count, shift, pv_root(v));
            if (shift > BITS && kl_count_words(root) == 1) {
                root = kl_words(root)[0];
                shift -= BITS;
            }
            result = make_pvector(count - 1, shift, root, tail);
        }
    }
    keel_roots_release(mark);
    return result;
}
