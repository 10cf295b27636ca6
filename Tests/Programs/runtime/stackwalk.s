# Hand-written "compiled code" for the stack-map walker test (stackwalk.c).
# Each function keeps a standard rbp frame, holds its references only in
# rbp-relative slots across calls that may collect, reloads them after each
# call, and lists those slots in keel_stackmaps under the call's return
# address (docs/stack-maps.md).  Objects are cons cells (cons_layout, 3
# words: car, cdr, value) allocated inline from keel_nursery with keel_alloc
# as the slow path.

        .text

# void *sw_build(long n): a list n, n-1, ..., 1 (value field), built in a loop.
#   -8(%rbp)  list      reference
#   -16(%rbp) counter   integer (not listed)
#   -24(%rbp) tagged    an immediate (low bit 1) listed as a reference slot:
#                       the walker must leave it alone
        .globl sw_build
        .type sw_build, @function
sw_build:
        pushq %rbp
        movq %rsp, %rbp
        subq $32, %rsp
        movq $0, -8(%rbp)
        movq %rdi, -16(%rbp)
        movq $0x2a1, -24(%rbp)
.Lbuild_loop:
        cmpq $0, -16(%rbp)
        je .Lbuild_done
        # inline allocation: 16-byte header + 3 words = 40 bytes
        movq keel_nursery(%rip), %rax
        leaq 40(%rax), %rdx
        cmpq keel_nursery+8(%rip), %rdx
        ja .Lbuild_slow
        movq %rdx, keel_nursery(%rip)
        leaq cons_layout(%rip), %rcx
        movq %rcx, (%rax)
        movq $3, 8(%rax)
        jmp .Lbuild_have
.Lbuild_slow:
        leaq cons_layout(%rip), %rdi
        movl $3, %esi
        call keel_alloc@PLT
.Lbuild_ret:
.Lbuild_have:
        movq -8(%rbp), %rcx          # reload: the list may have moved
        movq %rcx, 24(%rax)          # cdr (a young object: no barrier needed)
        movq -16(%rbp), %rcx
        movq %rcx, 32(%rax)          # value
        movq %rax, -8(%rbp)
        decq -16(%rbp)
        jmp .Lbuild_loop
.Lbuild_done:
        cmpq $0x2a1, -24(%rbp)
        jne .Lbuild_bad
        movq -8(%rbp), %rax
        leave
        ret
.Lbuild_bad:
        xorl %eax, %eax
        leave
        ret
        .size sw_build, .-sw_build

# void *sw_deep(long depth): recursion with references in every frame.
#   a = cons(value = depth); rest = sw_deep(depth - 1); return cons(car = a, cdr = rest, value = 1000 * depth)
#   -8(%rbp)  a      reference, live across the recursive call and the second allocation
#   -16(%rbp) depth  integer
#   -24(%rbp) rest   reference, live across the second allocation
        .globl sw_deep
        .type sw_deep, @function
sw_deep:
        pushq %rbp
        movq %rsp, %rbp
        subq $32, %rsp
        movq %rdi, -16(%rbp)
        movq $0, -8(%rbp)
        movq $0, -24(%rbp)
        testq %rdi, %rdi
        jne .Ldeep_go
        xorl %eax, %eax
        leave
        ret
.Ldeep_go:
        leaq cons_layout(%rip), %rdi
        movl $3, %esi
        call keel_alloc@PLT
.Ldeep_ret1:                         # map: nothing live yet (empty entry)
        movq -16(%rbp), %rcx
        movq %rcx, 32(%rax)
        movq %rax, -8(%rbp)
        movq -16(%rbp), %rdi
        decq %rdi
        call sw_deep
.Ldeep_ret2:                         # map: -8
        movq %rax, -24(%rbp)
        leaq cons_layout(%rip), %rdi
        movl $3, %esi
        call keel_alloc@PLT
.Ldeep_ret3:                         # map: -8, -24
        movq -8(%rbp), %rcx
        movq %rcx, 16(%rax)          # car = a
        movq -24(%rbp), %rcx
        movq %rcx, 24(%rax)          # cdr = rest
        movq -16(%rbp), %rcx
        imulq $1000, %rcx
        movq %rcx, 32(%rax)
        leave
        ret
        .size sw_deep, .-sw_deep

# void sw_store(void *object, long index, void *value): object.field[index] = value
# with the write barrier exactly as the backend emits it.
        .globl sw_store
        .type sw_store, @function
sw_store:
        leaq 16(%rdi,%rsi,8), %rax   # the field's address
        movq %rdx, (%rax)            # the store
        shrq $9, %rax                # its card index
        addq keel_card_table(%rip), %rax
        movb $1, (%rax)              # card dirty
        ret
        .size sw_store, .-sw_store

# The stack maps of the functions above.
        .section keel_stackmaps,"a",@progbits
        .p2align 2
        .long .Lbuild_ret - .        # return address, relative to this field
        .short 2, 0                  # 2 slots, flags 0
        .long -8, -24
        .long .Ldeep_ret1 - .
        .short 0, 0
        .long .Ldeep_ret2 - .
        .short 1, 0
        .long -8
        .long .Ldeep_ret3 - .
        .short 2, 0
        .long -8, -24

# A global reference cell registered through the keel_globals section.
        .data
        .p2align 3
        .globl sw_global
sw_global:
        .quad 0
        .section keel_globals,"aw",@progbits
        .p2align 3
        .quad sw_global

        .section .note.GNU-stack,"",@progbits
