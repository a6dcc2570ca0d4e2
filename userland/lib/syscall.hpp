/// \file syscall.hpp
/// \brief Raw SYSCALL instructions with 0 to 6 arguments, in the kernel's register convention.
#pragma once

#include <stdint.h>

namespace sys::raw {

inline int64_t syscall(uint64_t n, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                       uint64_t a4 = 0, uint64_t a5 = 0)
{
    int64_t ret;
    register uint64_t r10 asm("r10") = a3;
    register uint64_t r8 asm("r8") = a4;
    register uint64_t r9 asm("r9") = a5;
    asm volatile("syscall"
                 : "=a"(ret)
                 : "a"(n), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                 : "rcx", "r11", "memory");
    return ret;
}

/// The registers an IPC system call returns (see abi/ipc.hpp).
struct IpcRegisters {
    int64_t status;   ///< RAX: 0 or a negated error.
    uint64_t badge;   ///< RDI (for notification waits: the word).
    uint64_t info;    ///< RSI: the MessageInfo of the message received.
    uint64_t w[4];    ///< RDX, R10, R8, R9: message words 0..3.
};

/// An IPC system call: slot in RDI, info in RSI, words in RDX/R10/R8/R9, all of them returned.
inline IpcRegisters ipc(uint64_t n, uint64_t slot, uint64_t info, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    IpcRegisters out;
    register uint64_t r10 asm("r10") = w1;
    register uint64_t r8 asm("r8") = w2;
    register uint64_t r9 asm("r9") = w3;
    asm volatile("syscall"
                 : "=a"(out.status), "+D"(slot), "+S"(info), "+d"(w0), "+r"(r10), "+r"(r8), "+r"(r9)
                 : "a"(n)
                 : "rcx", "r11", "memory");
    out.badge = slot;
    out.info = info;
    out.w[0] = w0;
    out.w[1] = r10;
    out.w[2] = r8;
    out.w[3] = r9;
    return out;
}

} // namespace sys::raw
