/* Runtime entry stubs: the public functions that may collect.
 *
 * Each stub builds a standard frame (rbp on x86-64, a frame record on x29 on
 * AArch64), saves the previous entry record (keel_entry_rbp, keel_entry_ret)
 * on the stack, records its caller's frame pointer and return address (where
 * the stack walk starts, stackmap.c), calls the C implementation, and
 * restores the previous record on the way out, so nested and finished
 * entries never leave a stale record.  The stubs pass the argument registers
 * through untouched; they clobber rax, rcx and r11 only as System V allows,
 * and on AArch64 only x16 and x17.  The stub itself is KEEL_ENTRY_STUB of the
 * public header, which libraries linked with the runtime use too. */
#include "internal.h"

#if (defined(__x86_64__) || defined(__aarch64__)) && defined(__ELF__)
KEEL_ENTRY_STUB(keel_alloc);
KEEL_ENTRY_STUB(keel_collect);
KEEL_ENTRY_STUB(keel_handle_new);
#else
/* Elsewhere: no stack maps, so no walk; the entries are the implementations. */
void *keel_alloc(const KeelLayout *layout, uint64_t nwords) { return keel_alloc_impl(layout, nwords); }
void keel_collect(int major) { keel_collect_impl(major); }
void *keel_handle_new(void *resource, KeelDestructor destructor) { return keel_handle_new_impl(resource, destructor); }
#endif
