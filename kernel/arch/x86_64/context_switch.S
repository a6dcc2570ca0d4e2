/// \file context_switch.S
/// \brief `context_switch(old_rsp, new_rsp)`: the one place a CPU moves from one thread's stack to another's.
///
/// Only the callee-saved registers need saving: the caller (switch_to) has already spilled the
/// rest, as the C++ calling convention says. A new thread's stack is prepared by Thread::create_*
/// to look like it was switched out at the `ret` below, returning into a trampoline.

    .text
    .global context_switch
// [context-switch]
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)        // The old thread resumes from here.
    movq %rsi, %rsp          // Now on the new thread's stack.
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
// [context-switch]

    // First run of a kernel thread: Thread::create_kernel left its function in r12.
    .global kernel_thread_trampoline
kernel_thread_trampoline:
    xorl %ebp, %ebp
    call *%r12
1:  cli
    hlt
    jmp 1b

    .section .note.GNU-stack, "", @progbits
