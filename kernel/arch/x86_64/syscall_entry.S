/// \file syscall_entry.S
/// \brief The SYSCALL entry point: switch to the kernel stack, save a TrapFrame, call `syscall_dispatch`, SYSRET.
///
/// SYSCALL leaves the user RIP in RCX and RFLAGS in R11, masks IF (FMASK), and does not switch
/// stacks. We swap GS to reach the per-CPU block, park the user RSP there, and load the current
/// thread's kernel stack. The frame built has the same layout as an interrupt's (trap_frame.hpp).

    .text
    // [syscall-entry]
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:8             // PerCpu::user_rsp
    movq %gs:0, %rsp             // PerCpu::kernel_rsp
    pushq $0x23                  // ss: user data
    pushq %gs:8                  // rsp
    pushq %r11                   // rflags
    pushq $0x2b                  // cs: user code
    pushq %rcx                   // rip
    pushq $0                     // error code
    pushq $0x100                 // vector: kSyscallVector
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
    movq %rsp, %rdi
    xorl %ebp, %ebp
    call syscall_dispatch
    // [syscall-entry]

    // [syscall-return]
    .global syscall_return
syscall_return:
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
    addq $16, %rsp               // vector and error code
    // SYSRET to a non-canonical RIP would fault in kernel mode with the user's stack: if the
    // frame's RIP was changed to one, leave through IRETQ instead.
    movq (%rsp), %rcx
    movq %rcx, %r11
    shlq $16, %r11
    sarq $16, %r11
    cmpq %rcx, %r11
    jne 1f
    movq 16(%rsp), %r11          // rflags
    movq 24(%rsp), %rsp          // user rsp
    swapgs
    sysretq
1:  swapgs
    iretq
    // [syscall-return]

    // [return-to-user]
    // return_to_user(frame): leaves the kernel for the user state saved in `frame`, a
    // TrapFrame at the top of the (new) current thread's kernel stack. The IPC fast path ends
    // here: whatever the thread was doing in the kernel when it blocked is finished, so its
    // kernel stack holds nothing but this frame.
    .global return_to_user
return_to_user:
    movq %rdi, %rsp
    jmp syscall_return
    // [return-to-user]

    .section .note.GNU-stack, "", @progbits
