/* Layouts defined outside the IL module (as KeelLisp's runtime defines its
 * own), for declared_layouts.ssa, which declares them in keel_layouts. */
#include "KeelRuntime.h"

static const uint64_t pair_refs[] = {3}; /* both words are references */
const KeelLayout ext_pair = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_RECORD, 2, 0, pair_refs, "pair"};
const KeelLayout ext_vector = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_REFS, 0, 0, 0, "vector"};
const KeelLayout ext_box = {KEEL_LAYOUT_MAGIC, KEEL_LAYOUT_BYTES, 0, 0, 0, "box"};

/* Data that is no layout, for a declaration that claims it is one. */
const uint64_t not_a_layout[6] = {7};
