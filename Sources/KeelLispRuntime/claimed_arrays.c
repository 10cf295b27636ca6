/* The failures of the compiler's inline aget/aset/alength on an array whose
 * kind a type hint claims (docs/lisp.md, "Primitive arrays"): the inline
 * code tests the layout, the index and the bounds, and calls this on any
 * failure. An array of the other kind is a ClassCastException, as Clojure's
 * cast of a hinted array is; every other failure is the one the runtime's
 * own aget/aset/alength report, so the messages are the same. */
#include "KeelLisp.h"

kl_value kl_aget_impl(kl_value a, kl_value index);
kl_value kl_aset(kl_value a, kl_value index, kl_value v);
kl_value kl_alength(kl_value a);

/* Never returns. */
void kl_array_error(const char *operation, kl_value a, kl_value index, const KeelLayout *claimed) {
    if (kl_is_array(a) && kl_layout(a) != claimed)
        kl_error("ClassCastException", "class %s cannot be cast to class %s", kl_type_name(a),
                 claimed == &kl_double_array_layout ? "[D" : claimed == &kl_byte_array_layout ? "[B" : "[J");
    if (strcmp(operation, "alength") == 0) kl_alength(a);
    else if (strcmp(operation, "aset") == 0) kl_aset(a, index, KL_NIL);
    else kl_aget_impl(a, index);
    kl_error("IllegalStateException", "%s: the inline array access failed where the runtime's succeeds", operation);
}
