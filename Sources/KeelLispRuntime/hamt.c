/* Hash array mapped tries (Bagwell), the nodes of hash maps and hash sets.
 *
 * A node (kl_hnode_layout) is [bitmap, then two words per set bit]: bit b is
 * set when the node holds something whose hash has the 5 bits b at this
 * node's depth (bits 0-4 at the root, 5-9 below, ...).  The two words are the
 * key and the value of an entry, or UNBOUND and a child node one level down.
 * Keys whose whole 32-bit hashes are equal share a collision node
 * (kl_hcollision_layout: [hash, k0, v0, k1, v1...], in insertion order),
 * placed where the hash leads.  Iteration is in slot order, depth first, so
 * the order of a map's entries depends on their hashes alone, as in
 * Clojure's PersistentHashMap (whose hash function hash.c reproduces).
 *
 * A dense node is an array node (kl_harray_layout: [count of children,
 * then per 5-bit value a child node or nil]), as Clojure's ArrayNode: its
 * update copies 33 words instead of up to 65, which is what a big map's
 * root costs.  A bitmap node that gets a 25th slot becomes one (its entries
 * moved into one-entry nodes below), and an array node left with fewer than
 * 12 children packs back into a bitmap node (TO_ARRAY, TO_BITMAP); slot
 * order is the same in both, so iteration order does not depend on which a
 * level is.
 *
 * Updates copy the nodes along one path (at most 7 plus a collision node)
 * and share the rest.  A child of a bitmap node left with a single entry is
 * pulled up into its parent (an array node's children stay nodes).
 *
 * Functions that allocate keep their references in root scopes, except when
 * the caller found that the nursery has room for everything the update can
 * allocate (kl_hamt_can_skip_roots): then no allocation can collect, and the
 * scopes (calls into the Keel runtime) are skipped, and so are the card
 * marks of stores into the new nodes: all are nursery objects then (kl_alloc's
 * bump path), whose cards the collector never scans.  That bound leaves out
 * collision nodes, which have no size limit: an update that meets one too
 * big declines (before allocating anything) and is run again with roots.
 * KEEL_GC_STRESS never takes that path, so the stress tests check the rooted one. */
#if defined(__x86_64__)
#pragma GCC target("popcnt") /* every x86-64 since 2008; else a libgcc call per slot */
#endif
#include <string.h>
#include "KeelLisp.h"

static int unrooted; /* the current update cannot collect */
static int declined; /* an unrooted update met a collision node too big for its bound */

const KeelLayout kl_harray_layout __attribute__((aligned(16))) =
    {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_REFS, 0, 0, NULL, "hash trie array node"};

enum { BITS = 5, MASK = 31,
       TO_ARRAY = 24, /* a bitmap node with this many slots becomes an array node at the next */
       TO_BITMAP = 12 /* an array node with fewer children becomes a bitmap node */ };

/* What an update can allocate at most, collision nodes aside: each of the
 * at most 7 nodes on its path (32 bits of hash, 5 per level) copied with one
 * more entry (at most 32 + 1 slots), then where the path ends either a chain
 * of small nodes (pair, single, a collision node moved down) to the last
 * level, or an array node made of a bitmap node (its slots and the new one
 * as one-entry nodes). */
enum { SINGLE_BYTES = KEEL_HEADER_BYTES + 8 * 3,
       CHAIN_BYTES = 8 * (KEEL_HEADER_BYTES + 8 * 7) * 3,
       ARRAY_BYTES = KEEL_HEADER_BYTES + 8 * 33 + 32 * SINGLE_BYTES,
       PATH_BYTES = 7 * (KEEL_HEADER_BYTES + 8 * 67) + (CHAIN_BYTES > ARRAY_BYTES ? CHAIN_BYTES : ARRAY_BYTES) };

/* Whether an unrooted update that reached collision node `node` (before
 * allocating anything) may go on: its copy must take kl_alloc's bump path
 * too (objects over 1022 words go to the old generation, which may
 * collect). Else it declines and the caller runs it again with roots. */
static int collision_fits(kl_value node) {
    uintptr_t words = (uintptr_t)kl_count_words(node) + 2;
    if (!unrooted || (words <= 1022 && kl_nursery_has_room(PATH_BYTES + KEEL_HEADER_BYTES + 8 * words)))
        return 1;
    declined = 1;
    return 0;
}
#define ROOT(v) do { if (!unrooted) keel_root(&(v)); } while (0)
/* A store into a node this update made (the only nodes it writes). */
#define STORE(node, i, v) do { if (unrooted) kl_words(node)[i] = (v); else keel_store(OBJ(node), i, OBJ(v)); } while (0)
#define FIELDS_WRITTEN(node) do { if (!unrooted) kl_mark_fields_written(node); } while (0)
#define MARK() (unrooted ? 0 : keel_roots_mark())
#define RELEASE(mark) do { if (!unrooted) keel_roots_release(mark); } while (0)
#define OBJ(v) ((void *)(uintptr_t)(v))

static kl_value alloc(const KeelLayout *layout, uint32_t n) { return (kl_value)(uintptr_t)kl_alloc(layout, n); }

static uint32_t bitmap_of(kl_value node) { return (uint32_t)kl_fixnum_value(kl_words(node)[0]); }
static uint32_t bit_for(uint32_t hash, int shift) { return 1u << ((hash >> shift) & MASK); }
/* The word of the slot for `bit`: after the bitmap, two words per lower bit. */
static uint32_t slot_of(uint32_t bitmap, uint32_t bit) { return 1 + 2 * (uint32_t)__builtin_popcount(bitmap & (bit - 1)); }
static int is_collision(kl_value node) { return kl_layout(node) == &kl_hcollision_layout; }
static int is_array(kl_value node) { return kl_layout(node) == &kl_harray_layout; }
/* The word of an array node's slot for `hash` at `shift`, after the count. */
static uint32_t index_for(uint32_t hash, int shift) { return 1 + ((hash >> shift) & MASK); }
static uint32_t children_of(kl_value array) { return (uint32_t)kl_fixnum_value(kl_words(array)[0]); }
static uint32_t collision_hash(kl_value node) { return (uint32_t)kl_fixnum_value(kl_words(node)[0]); }

static kl_value copy_node(kl_value node) {
    size_t mark = MARK();
    ROOT(node);
    uint32_t n = kl_count_words(node);
    kl_value copy = alloc(kl_layout(node), n);
    memcpy(kl_words(copy), kl_words(node), 8 * (size_t)n);
    FIELDS_WRITTEN(copy);
    RELEASE(mark);
    return copy;
}

/* Fills `copy` (of 2 words more or, remove = 1, fewer) with `node`'s words,
 * two words inserted at `slot` (or removed), the first word (bitmap or
 * hash) set to `first`. */
static inline void fill_resized(kl_value copy, kl_value node, uint32_t slot, int remove, kl_value first, kl_value key,
                                kl_value value) {
    uint32_t n = kl_count_words(node);
    kl_value *to = kl_words(copy), *from = kl_words(node);
    to[0] = first;
    memcpy(to + 1, from + 1, 8 * (size_t)(slot - 1));
    if (remove) {
        memcpy(to + slot, from + slot + 2, 8 * (size_t)(n - slot - 2));
    } else {
        to[slot] = key;
        to[slot + 1] = value;
        memcpy(to + slot + 2, from + slot, 8 * (size_t)(n - slot));
    }
}

/* A copy of `node` with two words inserted at `slot` (or removed, remove = 1),
 * its first word (bitmap or hash) set to `first`. */
static kl_value resized(kl_value node, uint32_t slot, int remove, kl_value first, kl_value key, kl_value value) {
    size_t mark = MARK();
    ROOT(node);
    ROOT(key);
    ROOT(value);
    uint32_t n = kl_count_words(node);
    kl_value copy = alloc(kl_layout(node), remove ? n - 2 : n + 2);
    fill_resized(copy, node, slot, remove, first, key, value);
    FIELDS_WRITTEN(copy);
    RELEASE(mark);
    return copy;
}

static kl_value single(uint32_t hash, int shift, kl_value key, kl_value value) {
    size_t mark = MARK();
    ROOT(key);
    ROOT(value);
    kl_value node = alloc(&kl_hnode_layout, 3);
    kl_words(node)[0] = kl_fixnum(bit_for(hash, shift));
    STORE(node, 1, key);
    STORE(node, 2, value);
    RELEASE(mark);
    return node;
}

static kl_value assoc_node(kl_value node, int shift, uint32_t hash, kl_value key, kl_value value, int *added);

/* A node at `shift` holding two entries with different keys. */
static kl_value pair(int shift, uint32_t h1, kl_value k1, kl_value v1, uint32_t h2, kl_value k2, kl_value v2) {
    size_t mark = MARK();
    kl_value node = KL_NIL;
    ROOT(k1);
    ROOT(v1);
    ROOT(k2);
    ROOT(v2);
    ROOT(node);
    int added;
    if (h1 == h2) {
        if (k2 == KL_NIL) { /* nil first, as above */
            k2 = k1;
            k1 = KL_NIL;
            node = v2;
            v2 = v1;
            v1 = node;
        }
        node = alloc(&kl_hcollision_layout, 5);
        kl_words(node)[0] = kl_fixnum(h1);
        STORE(node, 1, k1);
        STORE(node, 2, v1);
        STORE(node, 3, k2);
        STORE(node, 4, v2);
    } else {
        node = single(h1, shift, k1, v1);
        node = assoc_node(node, shift, h2, k2, v2, &added);
    }
    RELEASE(mark);
    return node;
}

/* The array node for bitmap node `node` at `shift` plus the entry for key
 * (whose slot `node` lacks): each entry moves into a one-entry node. */
static kl_value to_array(kl_value node, int shift, uint32_t hash, kl_value key, kl_value value) {
    size_t mark = MARK();
    kl_value array = KL_NIL, child = KL_NIL;
    ROOT(node);
    ROOT(key);
    ROOT(value);
    ROOT(array);
    ROOT(child);
    array = alloc(&kl_harray_layout, 33); /* zero: every slot nil */
    uint32_t bitmap = bitmap_of(node);
    kl_words(array)[0] = kl_fixnum(__builtin_popcount(bitmap) + 1);
    for (uint32_t i = 0, slot = 1; i < 32; i++) {
        if (!(bitmap & (1u << i))) continue;
        kl_value k = kl_words(node)[slot];
        child = kl_words(node)[slot + 1];
        if (k != KL_UNBOUND) child = single(kl_hash_key(k), shift + BITS, k, child);
        STORE(array, 1 + i, child);
        slot += 2;
    }
    child = single(hash, shift + BITS, key, value);
    STORE(array, index_for(hash, shift), child);
    RELEASE(mark);
    return array;
}

static kl_value assoc_array(kl_value node, int shift, uint32_t hash, kl_value key, kl_value value, int *added) {
    size_t mark = MARK();
    ROOT(node);
    uint32_t i = index_for(hash, shift);
    kl_value child = assoc_node(kl_words(node)[i], shift + BITS, hash, key, value, added), result = node;
    if (child != kl_words(node)[i]) {
        ROOT(child);
        result = copy_node(node);
        if (kl_words(node)[i] == KL_NIL) kl_words(result)[0] = kl_fixnum(children_of(node) + 1);
        STORE(result, i, child);
    }
    RELEASE(mark);
    return result;
}

static kl_value assoc_node(kl_value node, int shift, uint32_t hash, kl_value key, kl_value value, int *added) {
    if (node == KL_NIL) {
        *added = 1;
        return single(hash, shift, key, value);
    }
    size_t mark = MARK();
    kl_value child = KL_NIL, result = node;
    ROOT(node);
    ROOT(key);
    ROOT(value);
    ROOT(child);
    ROOT(result);
    if (is_collision(node)) {
        uint32_t n = kl_count_words(node);
        if (!collision_fits(node)) {
            RELEASE(mark);
            return node;
        }
        if (collision_hash(node) == hash) {
            uint32_t i = 1;
            while (i < n && !kl_key_equiv(kl_words(node)[i], key)) i += 2;
            if (i == n) {
                /* nil goes first, as Clojure keeps it outside the trie and
                 * iterates it first (its hash, 0, leads the trie anyway). */
                *added = 1;
                result = resized(node, key == KL_NIL ? 1 : n, 0, kl_words(node)[0], key, value);
            } else if (kl_words(node)[i + 1] != value) {
                result = copy_node(node);
                STORE(result, i + 1, value);
            }
        } else {
            /* A different hash: the collision node goes one level down. */
            result = single(collision_hash(node), shift, KL_UNBOUND, node);
            result = assoc_node(result, shift, hash, key, value, added);
        }
        RELEASE(mark);
        return result;
    }
    if (is_array(node)) {
        RELEASE(mark);
        return assoc_array(node, shift, hash, key, value, added);
    }
    uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift), slot = slot_of(bitmap, bit);
    if (!(bitmap & bit)) {
        *added = 1;
        if (__builtin_popcount(bitmap) >= TO_ARRAY) result = to_array(node, shift, hash, key, value);
        else result = resized(node, slot, 0, kl_fixnum(bitmap | bit), key, value);
    } else {
        kl_value k = kl_words(node)[slot], v = kl_words(node)[slot + 1];
        if (k == KL_UNBOUND) {
            child = assoc_node(v, shift + BITS, hash, key, value, added);
            if (child != kl_words(node)[slot + 1]) {
                result = copy_node(node);
                STORE(result, slot + 1, child);
            }
        } else if (kl_key_equiv(k, key)) {
            if (v != value) {
                result = copy_node(node);
                STORE(result, slot + 1, value);
            }
        } else {
            *added = 1;
            child = pair(shift + BITS, kl_hash_key(k), k, v, hash, key, value);
            result = copy_node(node);
            STORE(result, slot, KL_UNBOUND);
            STORE(result, slot + 1, child);
        }
    }
    RELEASE(mark);
    return result;
}

/* Bytes that an update (assoc or dissoc) of `key` in `node` can allocate at
 * most: each node on the path copied with one more slot, and where the path
 * ends what may be built there: a one-entry node (an empty slot of an array
 * node), an array node (a full enough bitmap node gets a new slot), a chain
 * of small nodes (another key in the slot, or a collision node moved down).
 * Tighter than PATH_BYTES, which nursery chunks of 32 KiB often lack. */
static uintptr_t update_bound(kl_value node, uint32_t hash, kl_value key) {
    uintptr_t bytes = 0;
    for (int shift = 0; node != KL_NIL; shift += BITS) {
        bytes += KEEL_HEADER_BYTES + 8 * ((uintptr_t)kl_count_words(node) + 2);
        if (is_collision(node)) return bytes + CHAIN_BYTES;
        if (is_array(node)) {
            node = kl_words(node)[index_for(hash, shift)];
            continue;
        }
        uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift);
        if (!(bitmap & bit)) return bytes + (__builtin_popcount(bitmap) >= TO_ARRAY ? ARRAY_BYTES : 0);
        kl_value k = kl_words(node)[slot_of(bitmap, bit)];
        if (k != KL_UNBOUND) return bytes + (kl_key_equiv(k, key) ? 0 : CHAIN_BYTES);
        node = kl_words(node)[slot_of(bitmap, bit) + 1];
    }
    return bytes + SINGLE_BYTES;
}

int kl_hamt_can_skip_roots(kl_value root, uint32_t hash, kl_value key, uintptr_t more) {
    /* The fixed bound first: no walk down the path when it fits. */
    return kl_nursery_has_room(PATH_BYTES + more) || kl_nursery_has_room(update_bound(root, hash, key) + more);
}

/* A node holding one entry and no child, which its parent can hold itself. */
static int is_lone_entry(kl_value node) {
    return kl_layout(node) == &kl_hnode_layout && kl_count_words(node) == 3 && kl_words(node)[1] != KL_UNBOUND;
}

/* The common updates when they cannot collect, without recursion, root
 * scopes or calls: walk down to where the key goes, remembering the path,
 * then copy it bottom-up.  They return KL_UNBOUND, before allocating
 * anything, for what they leave to assoc_node and without_node: collision
 * nodes, a bitmap node becoming an array node, a node left empty. */
enum { MAX_PATH = 8 };

/* A copy of `node` made by an update that cannot collect. */
static inline kl_value fast_copy(kl_value node) {
    return kl_copy_in_nursery(kl_layout(node), node, kl_count_words(node));
}

/* Copies of path[0..depth), word at[i] of each replaced by the copy below
 * it, `child` at the bottom.  After a removal (pull_up), a one-entry child
 * of a bitmap node moves into it, as without_node does. */
static inline kl_value copy_path(const kl_value *path, const uint32_t *at, int depth, kl_value child, int pull_up) {
    for (int i = depth - 1; i >= 0; i--) {
        kl_value copy = fast_copy(path[i]);
        if (is_array(copy)) {
            if (kl_words(copy)[at[i]] == KL_NIL) kl_words(copy)[0] = kl_fixnum(children_of(copy) + 1);
            kl_words(copy)[at[i]] = child;
        } else if (pull_up && is_lone_entry(child)) {
            kl_words(copy)[at[i] - 1] = kl_words(child)[1];
            kl_words(copy)[at[i]] = kl_words(child)[2];
        } else {
            kl_words(copy)[at[i]] = child;
        }
        child = copy;
    }
    return child;
}

/* On the walk down of an update: records `node` and the word `index` taken
 * in it (for copy_path), and returns the child there. */
static inline kl_value step_down(kl_value *path, uint32_t *at, int *depth, kl_value node, uint32_t index) {
    path[*depth] = node;
    at[(*depth)++] = index;
    return kl_words(node)[index];
}

static kl_value fast_assoc(kl_value root, uint32_t hash, kl_value key, kl_value value, int *added) {
    kl_value path[MAX_PATH], node = root;
    uint32_t at[MAX_PATH];
    for (int depth = 0, shift = 0;; shift += BITS) {
        if (node == KL_NIL) { /* an empty trie, or an empty slot of an array node */
            *added = 1;
            return copy_path(path, at, depth, single(hash, shift, key, value), 0);
        }
        if (depth == MAX_PATH || is_collision(node)) return KL_UNBOUND;
        if (is_array(node)) {
            node = step_down(path, at, &depth, node, index_for(hash, shift));
            continue;
        }
        uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift), slot = slot_of(bitmap, bit);
        kl_value leaf;
        if (!(bitmap & bit)) {
            if (__builtin_popcount(bitmap) >= TO_ARRAY) return KL_UNBOUND;
            *added = 1;
            leaf = alloc(&kl_hnode_layout, kl_count_words(node) + 2);
            fill_resized(leaf, node, slot, 0, kl_fixnum(bitmap | bit), key, value);
            return copy_path(path, at, depth, leaf, 0);
        }
        kl_value k = kl_words(node)[slot];
        if (k == KL_UNBOUND) {
            node = step_down(path, at, &depth, node, slot + 1);
            continue;
        }
        if (kl_key_equiv(k, key)) {
            if (kl_words(node)[slot + 1] == value) return root;
            leaf = fast_copy(node);
            kl_words(leaf)[slot + 1] = value;
        } else { /* the two entries go one level down */
            *added = 1;
            kl_value child = pair(shift + BITS, kl_hash_key(k), k, kl_words(node)[slot + 1], hash, key, value);
            leaf = fast_copy(node);
            kl_words(leaf)[slot] = KL_UNBOUND;
            kl_words(leaf)[slot + 1] = child;
        }
        return copy_path(path, at, depth, leaf, 0);
    }
}

static kl_value fast_without(kl_value root, uint32_t hash, kl_value key) {
    kl_value path[MAX_PATH], node = root;
    uint32_t at[MAX_PATH];
    for (int depth = 0, shift = 0;; shift += BITS) {
        if (node == KL_NIL) return root; /* absent */
        if (depth == MAX_PATH || is_collision(node)) return KL_UNBOUND;
        if (is_array(node)) {
            node = step_down(path, at, &depth, node, index_for(hash, shift));
            continue;
        }
        uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift), slot = slot_of(bitmap, bit);
        if (!(bitmap & bit)) return root;
        kl_value k = kl_words(node)[slot];
        if (k == KL_UNBOUND) {
            node = step_down(path, at, &depth, node, slot + 1);
            continue;
        }
        if (!kl_key_equiv(k, key)) return root;
        if (bitmap == bit) return KL_UNBOUND;
        kl_value leaf = alloc(&kl_hnode_layout, kl_count_words(node) - 2);
        fill_resized(leaf, node, slot, 1, kl_fixnum(bitmap & ~bit), KL_NIL, KL_NIL);
        return copy_path(path, at, depth, leaf, 1);
    }
}

kl_value kl_hamt_assoc(kl_value root, uint32_t hash, kl_value key, kl_value value, int *added, int cannot_collect) {
    *added = 0;
    unrooted = cannot_collect;
    declined = 0;
    kl_value result = cannot_collect ? fast_assoc(root, hash, key, value, added) : KL_UNBOUND;
    if (result == KL_UNBOUND) result = assoc_node(root, 0, hash, key, value, added);
    unrooted = 0;
    if (declined) return KL_UNBOUND;
    return result;
}

static kl_value without_node(kl_value node, int shift, uint32_t hash, kl_value key);

/* The bitmap node of array node `node`'s children but the one in word
 * `skip`; one-entry children become entries. */
static kl_value to_bitmap(kl_value node, uint32_t skip) {
    size_t mark = MARK();
    ROOT(node);
    kl_value packed = alloc(&kl_hnode_layout, 1 + 2 * (children_of(node) - 1));
    uint32_t bitmap = 0, slot = 1;
    for (uint32_t i = 0; i < 32; i++) {
        kl_value child = kl_words(node)[1 + i];
        if (1 + i == skip || child == KL_NIL) continue;
        bitmap |= 1u << i;
        if (is_lone_entry(child)) {
            STORE(packed, slot, kl_words(child)[1]);
            STORE(packed, slot + 1, kl_words(child)[2]);
        } else {
            STORE(packed, slot, KL_UNBOUND);
            STORE(packed, slot + 1, child);
        }
        slot += 2;
    }
    kl_words(packed)[0] = kl_fixnum(bitmap);
    RELEASE(mark);
    return packed;
}

static kl_value without_array(kl_value node, int shift, uint32_t hash, kl_value key) {
    size_t mark = MARK();
    ROOT(node);
    uint32_t i = index_for(hash, shift);
    kl_value child = without_node(kl_words(node)[i], shift + BITS, hash, key), result = node;
    if (child != kl_words(node)[i]) {
        ROOT(child);
        if (child == KL_NIL && children_of(node) - 1 < TO_BITMAP) {
            result = to_bitmap(node, i);
        } else {
            result = copy_node(node);
            if (child == KL_NIL) kl_words(result)[0] = kl_fixnum(children_of(node) - 1);
            STORE(result, i, child);
        }
    }
    RELEASE(mark);
    return result;
}

static kl_value without_node(kl_value node, int shift, uint32_t hash, kl_value key) {
    if (node == KL_NIL) return KL_NIL;
    if (is_array(node)) return without_array(node, shift, hash, key);
    size_t mark = MARK();
    kl_value child = KL_NIL, result = node;
    ROOT(node);
    ROOT(child);
    ROOT(result);
    uint32_t n = kl_count_words(node);
    if (is_collision(node)) {
        if (!collision_fits(node)) {
            RELEASE(mark);
            return node;
        }
        uint32_t i = 1;
        if (collision_hash(node) == hash)
            while (i < n && !kl_key_equiv(kl_words(node)[i], key)) i += 2;
        if (collision_hash(node) == hash && i < n) {
            if (n == 5) {
                uint32_t j = i == 1 ? 3 : 1;
                result = single(hash, shift, kl_words(node)[j], kl_words(node)[j + 1]);
            } else {
                result = resized(node, i, 1, kl_words(node)[0], KL_NIL, KL_NIL);
            }
        }
        RELEASE(mark);
        return result;
    }
    uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift), slot = slot_of(bitmap, bit);
    if (bitmap & bit) {
        kl_value k = kl_words(node)[slot];
        int remove = 0;
        if (k == KL_UNBOUND) {
            child = without_node(kl_words(node)[slot + 1], shift + BITS, hash, key);
            if (child == KL_NIL) {
                remove = 1;
            } else if (child != kl_words(node)[slot + 1]) {
                result = copy_node(node);
                if (is_lone_entry(child)) {
                    STORE(result, slot, kl_words(child)[1]);
                    STORE(result, slot + 1, kl_words(child)[2]);
                } else {
                    STORE(result, slot + 1, child);
                }
            }
        } else if (kl_key_equiv(k, key)) {
            remove = 1;
        }
        if (remove) result = bitmap == bit ? KL_NIL : resized(node, slot, 1, kl_fixnum(bitmap & ~bit), KL_NIL, KL_NIL);
    }
    RELEASE(mark);
    return result;
}

kl_value kl_hamt_without(kl_value root, uint32_t hash, kl_value key, int cannot_collect) {
    unrooted = cannot_collect;
    declined = 0;
    kl_value result = cannot_collect ? fast_without(root, hash, key) : KL_UNBOUND;
    if (result == KL_UNBOUND) result = without_node(root, 0, hash, key);
    unrooted = 0;
    if (declined) return KL_UNBOUND;
    return result;
}

int kl_hamt_find(kl_value node, uint32_t hash, kl_value key, kl_value *value) {
    for (int shift = 0; node != KL_NIL; shift += BITS) {
        if (is_array(node)) {
            node = kl_words(node)[index_for(hash, shift)];
            continue;
        }
        if (is_collision(node)) {
            if (collision_hash(node) != hash) return 0;
            for (uint32_t i = 1; i < kl_count_words(node); i += 2)
                if (kl_key_equiv(kl_words(node)[i], key)) { *value = kl_words(node)[i + 1]; return 1; }
            return 0;
        }
        uint32_t bitmap = bitmap_of(node), bit = bit_for(hash, shift), slot = slot_of(bitmap, bit);
        if (!(bitmap & bit)) return 0;
        kl_value k = kl_words(node)[slot];
        if (k != KL_UNBOUND) {
            if (!kl_key_equiv(k, key)) return 0;
            *value = kl_words(node)[slot + 1];
            return 1;
        }
        node = kl_words(node)[slot + 1];
    }
    return 0;
}
