/// \file isr.S
/// \brief Entry stubs for all 256 interrupt vectors; they save a TrapFrame and call `trap_dispatch`.
///
/// Vectors 8, 10-14, 17, 21, 29 and 30 push an error code; for the rest the stub pushes 0 so every
/// frame has the same shape. On entry from user mode the stub swaps GS to the kernel's per-CPU
/// block; on the way out it swaps back.

    .macro SAVE_REGS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    .endm

    .macro RESTORE_REGS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    .endm

    .macro VECTOR n
    .balign 16
vector_\n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp interrupt_common
    // Append this stub's address to the table idt.cpp installs.
    .pushsection .rodata.vectors, "a"
    .quad vector_\n
    .popsection
    .endm

    .text
interrupt_common:
    // 24(%rsp) is the saved CS (after vector, error code and RIP): from user mode its low bits are 3.
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  SAVE_REGS
    // The interrupted code may have left the direction flag set (user code is free to); the
    // kernel's C++ (memcpy's `rep movsq`) assumes it clear, as the ABI says. RFLAGS is restored
    // by iretq, so clearing it here changes nothing for the interrupted code.
    cld
    // A frame-pointer link from the trap frame, so backtraces continue into the interrupted code.
    movq %rsp, %rdi
    xorl %ebp, %ebp
    call trap_dispatch
// [trap-return]
    .global trap_return
trap_return:
    RESTORE_REGS
    addq $16, %rsp               // vector and error code
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq
// [trap-return]

    .section .rodata.vectors, "a"
    .balign 8
    .global interrupt_vectors
interrupt_vectors:

    .text
    .altmacro
    .set i, 0
    .rept 256
    VECTOR %i
    .set i, i + 1
    .endr

    .section .note.GNU-stack, "", @progbits
