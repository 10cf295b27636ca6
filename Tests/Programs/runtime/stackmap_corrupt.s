# A corrupt frame chain: sc_inner overwrites its saved rbp with an address
# below its own frame, then calls keel_collect.  Both frames have maps, so
# the walker steps from sc_inner to sc_outer and must report the chain as
# corrupt (exit 70) instead of reading or writing through it.

        .text
        .globl sc_outer
        .type sc_outer, @function
sc_outer:
        pushq %rbp
        movq %rsp, %rbp
        subq $16, %rsp
        movq $0, -8(%rbp)
        call sc_inner
.Lsc_outer_ret:
        leave
        ret
        .size sc_outer, .-sc_outer

        .type sc_inner, @function
sc_inner:
        pushq %rbp
        movq %rsp, %rbp
        subq $16, %rsp
        leaq -64(%rsp), %rax
        movq %rax, (%rbp)            # the corruption: "caller's rbp" below this frame
        xorl %edi, %edi
        call keel_collect@PLT
.Lsc_inner_ret:
        movq %rbp, %rax              # (not reached)
        addq $16, %rax
        movq %rax, (%rbp)
        leave
        ret
        .size sc_inner, .-sc_inner

        .section keel_stackmaps,"a",@progbits
        .p2align 2
        .long .Lsc_outer_ret - .
        .short 1, 0
        .long -8
        .long .Lsc_inner_ret - .
        .short 0, 0

        .section .note.GNU-stack,"",@progbits
