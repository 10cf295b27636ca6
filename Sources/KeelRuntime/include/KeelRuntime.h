/*
 * Keel's managed runtime: the public interface (docs/runtime.md explains the
 * design; docs/stack-maps.md the format of the stack maps the backend emits).
 *
 * Objects.  A reference is the address of an object's 16-byte header:
 *
 *     word 0   const KeelLayout *layout   (the object's layout descriptor)
 *     word 1   uint32 nwords (payload words) | uint32 gc bits (zero when allocated)
 *     word 2.. the payload: nwords 8-byte words
 *
 * A word in a reference field, stack-map slot, root or global is traced iff it
 * is not 0 and its low three bits are 0 (KEEL_IS_REFERENCE): a front end may
 * keep tagged immediates (low bits not all 0) in reference fields.
 *
 * All entry points may collect unless documented otherwise; a collection may
 * move any object, so C code keeps its references in registered roots
 * (keel_root) across such calls.
 */
#ifndef KEEL_RUNTIME_H
#define KEEL_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Layouts: what a front end emits as data, one per object shape ---- */

#define KEEL_LAYOUT_MAGIC 0x4b4c4159u /* "KLAY" */

enum KeelLayoutKind {
    /* Fixed payload of `nwords` words; bit i of `refmap` set means word i is a reference. */
    KEEL_LAYOUT_RECORD = 1,
    /* Any number of words, every one a reference (vectors, environments). */
    KEEL_LAYOUT_REFS = 2,
    /* Any number of words, none a reference (strings, byte buffers, boxed floats). */
    KEEL_LAYOUT_BYTES = 3,
    /* The runtime's own: a handle (one word, its table index). */
    KEEL_LAYOUT_HANDLE = 4,
};

typedef struct KeelLayout {
    uint32_t magic;          /* KEEL_LAYOUT_MAGIC: the collector rejects anything else */
    uint32_t kind;           /* enum KeelLayoutKind */
    uint32_t nwords;         /* RECORD: payload words; others: 0 (the size is per object) */
    uint32_t reserved;       /* 0 */
    const uint64_t *refmap;  /* RECORD: ceil(nwords / 64) words of bits; NULL when no references */
    const char *name;        /* for diagnostics; may be NULL */
} KeelLayout;

#define KEEL_HEADER_BYTES 16
#define KEEL_IS_REFERENCE(w) ((w) != 0 && ((uintptr_t)(w) & 7) == 0)

/* The payload words of an object (no collection). */
static inline uint64_t *keel_fields(void *object) { return (uint64_t *)((char *)object + KEEL_HEADER_BYTES); }
static inline uint32_t keel_nwords(const void *object) { return (uint32_t)((const uint64_t *)object)[1]; }

/* ---- Allocation ---- */

/* The nursery's bump pointer and limit, at a fixed symbol for inline
 * allocation.  Memory in [ptr, limit) is zero.  Generated code allocates
 * n = 16 + 8 * nwords bytes by: p = ptr; q = p + n; if q > limit (unsigned)
 * call keel_alloc; else ptr = q, write the two header words at p.
 * limit is 0 before the runtime starts and under KEEL_GC_STRESS, so the inline
 * path always falls back to keel_alloc there. */
typedef struct KeelNursery {
    char *ptr;
    char *limit;
} KeelNursery;
extern KeelNursery keel_nursery;

/* A zeroed object of `nwords` payload words (RECORD: must equal layout->nwords).
 * Never returns NULL: out of memory ends the program with a message and
 * exit status KEEL_EXIT_OUT_OF_MEMORY. */
void *keel_alloc(const KeelLayout *layout, uint64_t nwords);

/* keel_alloc with the nursery's fast path inline: what the backend emits,
 * in C.  The fast path does not check the layout (KEEL_GC_VERIFY does). */
static inline void *keel_alloc_fast(const KeelLayout *layout, uint64_t nwords) {
    uintptr_t p = (uintptr_t)keel_nursery.ptr;
    if (nwords > 1022 || p + 16 + 8 * nwords > (uintptr_t)keel_nursery.limit) return keel_alloc(layout, nwords);
    keel_nursery.ptr = (char *)(p + 16 + 8 * nwords);
    ((uint64_t *)p)[0] = (uint64_t)(uintptr_t)layout;
    ((uint64_t *)p)[1] = nwords;
    return (void *)p;
}

/* A minor collection (major = 0) or a full one (major = 1). */
void keel_collect(int major);

/* Bytes of heap in use: the nursery plus the old generation's blocks (no collection). */
size_t keel_heap_size(void);

/* Starts the runtime (reads the environment); keel_alloc does it when needed. */
void keel_init(void);

/* ---- Write barrier ---- */

/* One card byte per KEEL_CARD_BYTES of heap address space; keel_card_table is
 * biased so that keel_card_table[address >> KEEL_CARD_SHIFT] is the card of
 * `address`.  A store of a reference into a heap object marks the card of the
 * field's address with 1 (see docs/runtime.md for the instruction sequence). */
#define KEEL_CARD_SHIFT 9
#define KEEL_CARD_BYTES (1u << KEEL_CARD_SHIFT)
extern uint8_t *keel_card_table;

/* object->payload[index] = value, with the barrier (no collection). */
static inline void keel_store(void *object, uint64_t index, void *value) {
    uint64_t *field = keel_fields(object) + index;
    *field = (uint64_t)(uintptr_t)value;
    keel_card_table[(uintptr_t)field >> KEEL_CARD_SHIFT] = 1;
}

/* ---- Roots for C code ---- */

/* Registers the address of a local reference variable; the collector reads and
 * updates it until the matching keel_roots_release.  Usage:
 *     size_t mark = keel_roots_mark();
 *     keel_root(&list); keel_root(&node);
 *     ...
 *     keel_roots_release(mark);                                            */
size_t keel_roots_mark(void);
void keel_root(void *address_of_reference);
void keel_roots_release(size_t mark);

/* Registers `count` global reference variables for the program's lifetime.
 * The array of addresses is copied; the variables themselves must live as
 * long as the program.  Compiled modules instead list them in the keel_globals section
 * (docs/stack-maps.md). */
void keel_global_roots(void **addresses, size_t count);

/* Code loaded after start-up (compiled modules loaded at run time, as the
 * KeelLisp REPL does) registers the contents of its keel_stackmaps section
 * here before it runs; the memory must stay mapped. */
void keel_stackmaps_add(const void *start, const void *end);

/* ---- C functions that compiled code calls and that may collect ----
 * Such a function is entered through an entry stub: the stub records the
 * compiled caller's frame and return address, where the collector's stack
 * walk starts (docs/stack-maps.md), calls NAME_impl with the arguments
 * untouched, and restores the previous record on return.  In a C file of a
 * library linked with the runtime:
 *     KEEL_ENTRY_STUB(lib_make)              // defines lib_make
 *     void *lib_make_impl(uint64_t n) { ... keel_alloc_impl(...) ... }
 * Inside, allocate with keel_alloc_impl: keel_alloc's own stub would record
 * the C frame, which has no stack map, and the walk would stop there.
 * ELF on x86-64 and AArch64.  On x86-64 the stub clobbers rax, rcx and r11,
 * as System V allows; on AArch64 only x16 and x17 (the intra-procedure-call
 * scratch registers), so x0-x7 and x8 reach NAME_impl untouched. */
void *keel_alloc_impl(const KeelLayout *layout, uint64_t nwords);
extern uintptr_t keel_entry_rbp, keel_entry_ret;
#if defined(__x86_64__)
#define KEEL_ENTRY_STUB(name)                                   \
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
            "\tcall " #name "_impl@PLT\n"                        \
            "\tpopq %rcx\n"                                     \
            "\tmovq %rcx, keel_entry_rbp(%rip)\n"               \
            "\tpopq %rcx\n"                                     \
            "\tmovq %rcx, keel_entry_ret(%rip)\n"               \
            "\tpopq %rbp\n"                                     \
            "\tret\n"                                           \
            ".size " #name ", .-" #name "\n")
#elif defined(__aarch64__)
/* The frame record of the stub is [x29] = the caller's x29, [x29 + 8] = x30,
 * the return address into the caller: the same shape as the rbp frame, so
 * keel_entry_rbp/keel_entry_ret hold the caller's x29 and return address.
 * The previous record is saved at [sp + 16] and [sp + 24]. */
#define KEEL_ENTRY_STUB(name)                                   \
    __asm__(".text\n"                                           \
            ".globl " #name "\n"                                \
            ".type " #name ", %function\n"                      \
            ".p2align 4\n" #name ":\n"                          \
            "\tstp x29, x30, [sp, #-32]!\n"                     \
            "\tmov x29, sp\n"                                   \
            "\tadrp x16, keel_entry_rbp\n"                      \
            "\tldr x17, [x16, :lo12:keel_entry_rbp]\n"          \
            "\tstr x17, [sp, #16]\n"                            \
            "\tldr x17, [x29]\n"                                \
            "\tstr x17, [x16, :lo12:keel_entry_rbp]\n"          \
            "\tadrp x16, keel_entry_ret\n"                      \
            "\tldr x17, [x16, :lo12:keel_entry_ret]\n"          \
            "\tstr x17, [sp, #24]\n"                            \
            "\tldr x17, [x29, #8]\n"                            \
            "\tstr x17, [x16, :lo12:keel_entry_ret]\n"          \
            "\tbl " #name "_impl\n"                             \
            "\tldr x17, [sp, #16]\n"                            \
            "\tadrp x16, keel_entry_rbp\n"                      \
            "\tstr x17, [x16, :lo12:keel_entry_rbp]\n"          \
            "\tldr x17, [sp, #24]\n"                            \
            "\tadrp x16, keel_entry_ret\n"                      \
            "\tstr x17, [x16, :lo12:keel_entry_ret]\n"          \
            "\tldp x29, x30, [sp], #32\n"                       \
            "\tret\n"                                           \
            ".size " #name ", .-" #name "\n")
#endif

/* ---- Handles: host resources owned by GC objects ---- */

typedef void (*KeelDestructor)(void *resource);

/* A new handle object for `resource`; `destructor` runs exactly once: when the
 * handle is found unreachable, at keel_handle_close, or at exit. */
void *keel_handle_new(void *resource, KeelDestructor destructor);
/* The resource of a live handle (NULL once closed). */
void *keel_handle_resource(void *handle);
/* Runs the destructor now; later calls do nothing. */
void keel_handle_close(void *handle);
/* Number of table entries in use (live or not yet found dead). */
size_t keel_handle_count(void);

/* ---- Exit statuses of the runtime's fatal errors ---- */
#define KEEL_EXIT_MISUSE 70
#define KEEL_EXIT_OUT_OF_MEMORY 71
#define KEEL_EXIT_HANDLES_FULL 72

#ifdef __cplusplus
}
#endif
#endif
