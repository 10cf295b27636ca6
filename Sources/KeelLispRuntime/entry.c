/* Entry stubs for the KeelLisp runtime functions that may collect.
 *
 * Compiled code calls kl_NAME; the stub records the compiled caller's frame
 * as the place where the collector's stack walk starts (KEEL_ENTRY_STUB of the
 * Keel runtime's header, docs/stack-maps.md) and calls
 * kl_NAME_impl.  Inside, C code allocates through kl_alloc (KeelLisp.h), which calls the
 * runtime's implementation directly: going through the keel_alloc stub
 * again would record this C frame, which has no stack map, and the walk
 * would stop before reaching the compiled frames. */
#include "KeelLisp.h"

#if !(defined(__x86_64__) || defined(__aarch64__)) || !defined(__ELF__)
#error "KeelLisp's runtime supports x86-64 and AArch64 ELF only (docs/lisp.md)"
#endif

/* The list below is the one place that says which functions may collect;
 * the compiler's RuntimeFunctions.swift mirrors it. */
KEEL_ENTRY_STUB(kl_add);
KEEL_ENTRY_STUB(kl_sub);
KEEL_ENTRY_STUB(kl_mul);
KEEL_ENTRY_STUB(kl_div);
KEEL_ENTRY_STUB(kl_quot);
KEEL_ENTRY_STUB(kl_rem);
KEEL_ENTRY_STUB(kl_mod);
KEEL_ENTRY_STUB(kl_neg);
KEEL_ENTRY_STUB(kl_inc);
KEEL_ENTRY_STUB(kl_dec);
KEEL_ENTRY_STUB(kl_make_long);
KEEL_ENTRY_STUB(kl_make_double);
KEEL_ENTRY_STUB(kl_make_string);
KEEL_ENTRY_STUB(kl_make_keyword);
KEEL_ENTRY_STUB(kl_make_symbol);
KEEL_ENTRY_STUB(kl_make_args);
KEEL_ENTRY_STUB(kl_cons);
KEEL_ENTRY_STUB(kl_list_from);
KEEL_ENTRY_STUB(kl_map_from);
KEEL_ENTRY_STUB(kl_hash_map_from);
KEEL_ENTRY_STUB(kl_pop);
KEEL_ENTRY_STUB(kl_disj);
KEEL_ENTRY_STUB(kl_set_from);
KEEL_ENTRY_STUB(kl_vec);
KEEL_ENTRY_STUB(kl_str);
KEEL_ENTRY_STUB(kl_pr_str);
KEEL_ENTRY_STUB(kl_subs);
KEEL_ENTRY_STUB(kl_conj);
KEEL_ENTRY_STUB(kl_assoc);
KEEL_ENTRY_STUB(kl_dissoc);
KEEL_ENTRY_STUB(kl_rest);
KEEL_ENTRY_STUB(kl_next);
KEEL_ENTRY_STUB(kl_seq);
KEEL_ENTRY_STUB(kl_keyword);
KEEL_ENTRY_STUB(kl_name);
KEEL_ENTRY_STUB(kl_namespace);
KEEL_ENTRY_STUB(kl_nthnext);
KEEL_ENTRY_STUB(kl_first);
KEEL_ENTRY_STUB(kl_parse_long);
KEEL_ENTRY_STUB(kl_bit_and);
KEEL_ENTRY_STUB(kl_bit_or);
KEEL_ENTRY_STUB(kl_bit_xor);
KEEL_ENTRY_STUB(kl_bit_not);
KEEL_ENTRY_STUB(kl_bit_shift_left);
KEEL_ENTRY_STUB(kl_bit_shift_right);
KEEL_ENTRY_STUB(kl_unsigned_bit_shift_right);
KEEL_ENTRY_STUB(kl_sqrt);
KEEL_ENTRY_STUB(kl_double);
KEEL_ENTRY_STUB(kl_long);
KEEL_ENTRY_STUB(kl_double_array);
KEEL_ENTRY_STUB(kl_long_array);
KEEL_ENTRY_STUB(kl_aget);
KEEL_ENTRY_STUB(kl_byte_array);
KEEL_ENTRY_STUB(kl_unchecked_add);
KEEL_ENTRY_STUB(kl_unchecked_subtract);
KEEL_ENTRY_STUB(kl_unchecked_multiply);
KEEL_ENTRY_STUB(kl_unchecked_inc);
KEEL_ENTRY_STUB(kl_unchecked_dec);
KEEL_ENTRY_STUB(kl_unchecked_negate);
