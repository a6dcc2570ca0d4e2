/// \file syscall.hpp
/// \brief What every system-call handler receives, and the handler declarations generated from the list.
#pragma once

#include "abi/syscalls.hpp"
#include "arch/x86_64/trap_frame.hpp"
#include "lib/result.hpp"
#include <stdint.h>

struct Thread;
struct Process;

/// The caller and its arguments. Handlers read arguments with arg(0..5).
struct SyscallContext {
    TrapFrame& frame;
    Thread& thread;
    Process& process;

    uint64_t arg(unsigned i) const
    {
        switch (i) {
        case 0: return frame.rdi;
        case 1: return frame.rsi;
        case 2: return frame.rdx;
        case 3: return frame.r10;
        case 4: return frame.r8;
        default: return frame.r9;
        }
    }
};

namespace syscalls {

/// The most bytes one debug_write may print.
inline constexpr uint64_t kMaxDebugWrite = 1u << 20;

/// Programs the SYSCALL MSRs (entry point, segments, flag mask).
void init();

#define SAMSARA_SYSCALL_DECLARE(number, name, description) Result<uint64_t> sys_##name(SyscallContext& ctx);
SAMSARA_SYSCALLS(SAMSARA_SYSCALL_DECLARE)
#undef SAMSARA_SYSCALL_DECLARE

} // namespace syscalls

/// Called by syscall_entry.S with the caller's saved registers.
extern "C" void syscall_dispatch(TrapFrame* frame);
