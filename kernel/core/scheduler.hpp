/// \file scheduler.hpp
/// \brief The preemptive, priority-based round-robin scheduler with an idle thread.
///
/// The highest-priority ready thread runs. Threads of equal priority take turns: each runs for a
/// time slice of kSliceTicks timer ticks, then goes to the back of its queue. When nothing is
/// ready the idle thread halts the CPU until the next interrupt. The kernel itself is not
/// preemptible: it runs with interrupts off, and switches happen only at the points below.
#pragma once

#include "arch/x86_64/per_cpu.hpp"
#include "core/run_queues.hpp"
#include "core/thread.hpp"
#include <stdint.h>

struct Thread;

namespace scheduler {

/// The ready queues (scheduler.cpp); visible here only for may_switch_directly().
extern RunQueues<Thread, &Thread::run_link> g_ready;

inline constexpr uint32_t kTickHz = 100;        ///< Timer interrupts per second.
inline constexpr uint32_t kSliceTicks = 1;      ///< A 10 ms time slice.
inline constexpr uint8_t kDefaultPriority = 16;

/// Creates the idle thread. Call once, before start().
void init();
/// Switches to the first ready thread; the boot stack is abandoned. Never returns.
[[noreturn]] void start();

/// The thread running on this CPU (from the per-CPU block; inline because it is on every path).
inline Thread* current() { return per_cpu()->current; }

/// Makes a new or blocked thread ready to run.
void make_ready(Thread* thread);
/// Blocks the current thread (its state and reason already set) and runs another.
void block_current();
/// Wakes a blocked thread.
void wake(Thread* thread);
/// Gives up the rest of the current time slice.
void yield();
/// Blocks the current thread for at least `ns` nanoseconds.
void sleep_current(uint64_t ns);
/// Kills `thread`. If it is the current thread, switches away and never returns.
void kill(Thread* thread);

/// True if the current thread may hand the CPU straight to `next` (the IPC fast path): `next`
/// must be at least as important as every ready thread.
inline bool may_switch_directly(const Thread* next)
{
    return static_cast<int>(next->priority) >= g_ready.highest_priority();
}
/// The IPC fast path's switch: marks the current thread blocked and runs `next` (blocked, on no
/// queue, its system call complete in its TrapFrame) with the rest of the time slice, leaving the
/// kernel straight through `next`'s frame. Neither thread has anything left to do in the kernel,
/// so nothing is unwound: the current thread, when woken, also goes straight back to user mode.
[[noreturn]] void switch_directly(Thread* next);

/// After an interrupt made a thread ready: runs it now if the CPU was idle or it is more
/// important than the interrupted thread (otherwise it waits for its turn as usual).
void preempt_for_wakeup();

/// Called on every timer interrupt: wakes sleepers and preempts at the end of a slice.
void timer_tick();
/// Timer ticks since start().
uint64_t ticks();

} // namespace scheduler
