/* Hash sets: a record {count, root} over a hash trie (hamt.c) whose entries
 * map each member to itself, so (get s x) returns the member the set holds.
 * Always hashed, as Clojure's PersistentHashSet: sets print in hash order. */
#include "KeelLisp.h"

kl_value kl_empty_set(void) { return kl_hamt_record(&kl_set_layout, 0, KL_NIL); }

kl_value kl_set_conj(kl_value s, kl_value x) {
    kl_value found;
    if (kl_hamt_find(kl_words(s)[1], kl_hash_key(x), x, &found)) return s;
    return kl_map_assoc(s, x, x);
}

kl_value kl_set_disj(kl_value s, kl_value x) { return kl_map_without(s, x); }
