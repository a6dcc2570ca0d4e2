/// \file thread.hpp
/// \brief Thread: a kernel stack, saved registers, FPU state, a priority and a scheduling state.
#pragma once

#include "arch/x86_64/trap_frame.hpp"
#include "lib/list.hpp"
#include "lib/result.hpp"
#include <stdint.h>

struct Process;

enum class ThreadState : uint8_t {
    Ready,    ///< On a run queue.
    Running,  ///< The CPU's current thread.
    Blocked,  ///< Waiting for something (a child's exit, a sleep, later an IPC partner).
    Dead,     ///< Finished; its stack is freed once the CPU has left it.
};

const char* thread_state_name(ThreadState state);

/// Why a blocked thread is blocked (for `wait`, sleeps, and the GDB helpers).
enum class BlockReason : uint8_t { None, WaitChild, Sleep };

struct Thread {
    static constexpr uint64_t kKernelStackSize = 16384;

    uint64_t tid = 0;
    char name[24] = {};
    Process* process = nullptr;  ///< nullptr for kernel threads (the idle thread).
    ThreadState state = ThreadState::Blocked;
    BlockReason block_reason = BlockReason::None;
    uint8_t priority = 0;        ///< 0 (idle) .. 31.
    uint32_t slice_left = 0;     ///< Timer ticks before the thread is preempted.
    uint64_t wake_at_ns = 0;     ///< For BlockReason::Sleep.
    uint64_t wait_target = 0;    ///< For BlockReason::WaitChild: the pid waited for.

    uint64_t saved_rsp = 0;      ///< Kernel stack pointer while switched out (context_switch).
    uint8_t* kernel_stack = nullptr;  ///< Lowest address of the kernel stack.
    ListNode run_link;           ///< On a run queue or the sleep list.
    alignas(16) uint8_t fpu_state[512];  ///< fxsave area for the user's x87/SSE registers.

    uint64_t kernel_stack_top() const { return reinterpret_cast<uint64_t>(kernel_stack) + kKernelStackSize; }
    /// The user registers, saved at the top of the kernel stack on every kernel entry.
    TrapFrame* user_frame() const { return reinterpret_cast<TrapFrame*>(kernel_stack_top()) - 1; }

    /// A thread that will enter user mode at `entry` with stack `user_rsp` and rdi/rsi = arg0/arg1.
    static Result<Thread*> create_user(Process* process, const char* name, uint64_t entry, uint64_t user_rsp,
                                       uint64_t arg0, uint64_t arg1, uint8_t priority);
    /// A kernel thread running `function()` forever (it must not return).
    static Result<Thread*> create_kernel(const char* name, void (*function)(), uint8_t priority);
    /// Frees the stack and the object. The thread must not be running or queued.
    static void destroy(Thread* thread);
};
