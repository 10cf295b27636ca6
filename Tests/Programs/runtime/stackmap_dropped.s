# Mutation of stackwalk.s: a reference live across a call to keel_alloc whose
# slot is missing from the call's stack map.  The collection in that call
# (stackmap_dropped.env sets KEEL_GC_STRESS) leaves the slot stale; the stale
# reference, stored into the new object, must be reported by the collector.

        .text
# void *sd_pair(void): a = cons(value 11); b = cons(car = a, value 22); return b
        .globl sd_pair
        .type sd_pair, @function
sd_pair:
        pushq %rbp
        movq %rsp, %rbp
        subq $16, %rsp
        leaq cons_layout(%rip), %rdi
        movl $3, %esi
        call keel_alloc@PLT
.Lsd_ret1:
        movq $11, 32(%rax)
        movq %rax, -8(%rbp)          # a, live across the next call
        leaq cons_layout(%rip), %rdi
        movl $3, %esi
        call keel_alloc@PLT
.Lsd_ret2:                           # its map should list -8: it does not
        movq -8(%rbp), %rcx
        movq %rcx, 16(%rax)          # b.car = a (stale)
        movq $22, 32(%rax)
        leave
        ret
        .size sd_pair, .-sd_pair

        .section keel_stackmaps,"a",@progbits
        .p2align 2
        .long .Lsd_ret1 - .
        .short 0, 0
        .long .Lsd_ret2 - .
        .short 0, 0                  # the mutation: 0 slots instead of 1 (-8)

        .section .note.GNU-stack,"",@progbits
