/// \file trap_frame.hpp
/// \brief The register frame saved on the kernel stack by every interrupt, exception and system call.
///
/// isr.S and syscall_entry.S both build exactly this layout, so a thread that is not running always has
/// its user registers in one place: the TrapFrame at the top of its kernel stack.
#pragma once

#include <stdint.h>

struct TrapFrame {
    // Pushed by the entry stubs, last pushed first.
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;      ///< Interrupt vector, or kSyscallVector for SYSCALL.
    uint64_t error_code;  ///< CPU error code, or 0.
    // Pushed by the CPU (or by syscall_entry.S in the same shape).
    uint64_t rip, cs, rflags, rsp, ss;

    bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(TrapFrame) == 22 * 8);

/// The pseudo-vector syscall_entry.S stores in TrapFrame::vector.
inline constexpr uint64_t kSyscallVector = 0x100;
