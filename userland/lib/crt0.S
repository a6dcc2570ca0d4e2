/// \file crt0.S
/// \brief `_start`: where every user program begins. Calls `libsys_start(args, len)`.
///
/// The kernel enters with RDI = the argument string (on the stack) and RSI = its length.
    .section .text.start, "ax"
    .global _start
// [crt0-start]
_start:
    xorl %ebp, %ebp          // The end of the user backtrace.
    andq $-16, %rsp          // The ABI wants a 16-byte aligned stack at each call.
    call libsys_start
1:  ud2                      // libsys_start never returns.
    jmp 1b
// [crt0-start]

    .section .note.GNU-stack, "", @progbits
