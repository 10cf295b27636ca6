/* Entry stubs for the KeelLisp runtime functions that may collect.
 *
 * Compiled code calls kl_NAME; the stub records the compiled caller's frame
 * as the place where the collector's stack walk starts (the same protocol
 * as the Keel runtime's own stubs, docs/stack-maps.md) and calls
 * kl_NAME_impl.  Inside, C code allocates through kl_alloc, which calls the
 * runtime's implementation directly: going through the keel_alloc stub
 * again would record this C frame, which has no stack map, and the walk
 * would stop before reaching the compiled frames. */
#include "KeelLisp.h"

#if !defined(__x86_64__) || !defined(__ELF__)
#error "KeelLisp's runtime supports x86-64 ELF only for now (docs/lisp.md)"
#endif

/* The entry record of the Keel runtime (hidden symbols of its stackmap.c,
 * visible within one link). */
extern uintptr_t keel_entry_rbp, keel_entry_ret;
void *keel_alloc_impl(const KeelLayout *layout, uint64_t nwords);

void *kl_alloc(const KeelLayout *layout, uint64_t nwords) { return keel_alloc_impl(layout, nwords); }

#define KL_ENTRY_STUB(name)                                     \
    __asm__(".text\n"                                           \
            ".globl " #name "\n"                                \
            ".type " #name ", @function\n"                      \
            ".p2align 4\n" #name ":\n"                          \
            "\tpushq %rbp\n"                                    \
            "\tmovq %rsp, %rbp\n"                               \
            "\tpushq keel_entry_ret(%rip)\n"                    \
            "\tpushq keel_entry_rbp(%rip)\n"                    \
            "\tmovq (%rbp), %r11\n"                             \
            "\tmovq %r11, keel_entry_rbp(%rip)\n"               \
            "\tmovq 8(%rbp), %r11\n"                            \
            "\tmovq %r11, keel_entry_ret(%rip)\n"               \
            "\tcall " #name "_impl@PLT\n"                           \
            "\tpopq %rcx\n"                                     \
            "\tmovq %rcx, keel_entry_rbp(%rip)\n"               \
            "\tpopq %rcx\n"                                     \
            "\tmovq %rcx, keel_entry_ret(%rip)\n"               \
            "\tpopq %rbp\n"                                     \
            "\tret\n"                                           \
            ".size " #name ", .-" #name "\n");

/* The list below is the one place that says which functions may collect;
 * the compiler's RuntimeFunctions.swift mirrors it. */
KL_ENTRY_STUB(kl_add)
KL_ENTRY_STUB(kl_sub)
KL_ENTRY_STUB(kl_mul)
KL_ENTRY_STUB(kl_div)
KL_ENTRY_STUB(kl_quot)
KL_ENTRY_STUB(kl_rem)
KL_ENTRY_STUB(kl_mod)
KL_ENTRY_STUB(kl_neg)
KL_ENTRY_STUB(kl_inc)
KL_ENTRY_STUB(kl_dec)
KL_ENTRY_STUB(kl_make_long)
KL_ENTRY_STUB(kl_make_double)
KL_ENTRY_STUB(kl_make_string)
KL_ENTRY_STUB(kl_make_keyword)
KL_ENTRY_STUB(kl_make_symbol)
KL_ENTRY_STUB(kl_make_args)
KL_ENTRY_STUB(kl_cons)
KL_ENTRY_STUB(kl_list_from)
KL_ENTRY_STUB(kl_map_from)
KL_ENTRY_STUB(kl_set_from)
KL_ENTRY_STUB(kl_vec)
KL_ENTRY_STUB(kl_str)
KL_ENTRY_STUB(kl_pr_str)
KL_ENTRY_STUB(kl_subs)
KL_ENTRY_STUB(kl_conj)
KL_ENTRY_STUB(kl_assoc)
KL_ENTRY_STUB(kl_dissoc)
KL_ENTRY_STUB(kl_rest)
KL_ENTRY_STUB(kl_next)
KL_ENTRY_STUB(kl_seq)
KL_ENTRY_STUB(kl_keyword)
KL_ENTRY_STUB(kl_nthnext)
KL_ENTRY_STUB(kl_first)
KL_ENTRY_STUB(kl_parse_long)
