/// \file per_cpu.hpp
/// \brief The per-CPU block reached through GS: the current thread and the SYSCALL stack.
///
/// syscall_entry.S reads `kernel_rsp` at offset 0 and parks the user stack pointer at offset 8, so
/// their order is fixed. Samsara runs on one CPU today; the block is still per-CPU so SMP can
/// come later without changing the entry code.
#pragma once

#include <stddef.h>
#include <stdint.h>

struct Thread;

struct PerCpu {
    uint64_t kernel_rsp;     ///< Top of the current thread's kernel stack.
    uint64_t user_rsp;       ///< Scratch: the user RSP during syscall entry.
    Thread* current;         ///< The running thread.
    PerCpu* self;            ///< Lets C++ read the block's address through GS.
};
static_assert(offsetof(PerCpu, kernel_rsp) == 0 && offsetof(PerCpu, user_rsp) == 8);

/// Loads GS with the per-CPU block.
void per_cpu_init();

inline PerCpu* per_cpu()
{
    PerCpu* p;
    asm volatile("movq %%gs:24, %0" : "=r"(p));
    return p;
}
