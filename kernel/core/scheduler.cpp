/// \file scheduler.cpp
/// \brief Run queues, the switch between threads, sleeping, and reaping dead threads.
#include "core/scheduler.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/per_cpu.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "core/process.hpp"
#include "core/run_queues.hpp"
#include "core/thread.hpp"
#include "ipc/ipc.hpp"
#include "object/notification.hpp"

/// Saves callee-saved registers and the stack pointer into *old_rsp, loads new_rsp, and
/// restores the new thread's registers (context_switch.S).
extern "C" void context_switch(uint64_t* old_rsp, uint64_t new_rsp);
/// Loads the user state in `frame` and leaves the kernel (syscall_entry.S).
extern "C" [[noreturn]] void return_to_user(TrapFrame* frame);

namespace scheduler {

RunQueues<Thread, &Thread::run_link> g_ready;

namespace {
IntrusiveList<Thread, &Thread::run_link> g_sleeping;
Thread* g_idle = nullptr;
Thread* g_dead = nullptr;  ///< A thread that died and whose stack we were still on.
uint64_t g_ticks = 0;

[[noreturn]] void idle_loop()
{
    for (;;) cpu::enable_interrupts_and_halt();
}

/// Frees a thread that died on its own stack, now that we are on another one.
void reap_dead()
{
    if (g_dead) {
        g_dead->release_resources();
        object_release(g_dead);  // The reference "being alive" held.
        g_dead = nullptr;
    }
}

// [scheduler-switch-to]
/// (1) saves the FPU, (2) points the TSS and SYSCALL at the next kernel stack, (3) switches the
/// address space, (4) switches stacks. Returns when `prev` is scheduled again.
void switch_to(Thread* prev, Thread* next, uint32_t slice = kSliceTicks)
{
    next->state = ThreadState::Running;
    next->slice_left = slice;
    if (prev == next) return;

    asm volatile("fxsave %0" : "=m"(prev->fpu_state));
    per_cpu()->current = next;
    per_cpu()->kernel_rsp = next->kernel_stack_top();
    gdt::set_kernel_stack(next->kernel_stack_top());
    if (next->process) {
        next->process->space.activate();
        switch_io_permissions(next->process);
    }
    asm volatile("fxrstor %0" ::"m"(next->fpu_state));
    context_switch(&prev->saved_rsp, next->saved_rsp);
    reap_dead();
}
// [scheduler-switch-to]

/// Picks the next thread (the idle thread if none is ready) and switches to it.
void schedule()
{
    Thread* prev = current();
    // The idle thread is never queued; once it stops running it is simply ready again.
    if (prev == g_idle) prev->state = ThreadState::Ready;
    Thread* next = g_ready.dequeue_highest();
    if (!next) next = g_idle;
    switch_to(prev, next);
}
} // namespace

void init()
{
    auto idle = Thread::create_kernel("idle", idle_loop, 0);
    if (idle.is_error()) panic("cannot create the idle thread");
    g_idle = idle.value();
}

// [scheduler-start]
void start()
{
    // The boot stack becomes a throwaway "previous thread" whose context is never resumed.
    static Thread boot_thread;
    boot_thread.state = ThreadState::Dead;
    per_cpu()->current = &boot_thread;
    klog::info("sched", "starting: %u Hz timer, %u-tick slices", kTickHz, kSliceTicks);
    schedule();
    panic("the boot thread was scheduled again");
}
// [scheduler-start]

void make_ready(Thread* thread)
{
    thread->state = ThreadState::Ready;
    thread->block_reason = BlockReason::None;
    g_ready.enqueue(thread, thread->priority);
}

void block_current()
{
    Thread* self = current();
    self->state = ThreadState::Blocked;
    schedule();
}

void wake(Thread* thread)
{
    if (thread->state != ThreadState::Blocked) return;
    if (thread->block_reason == BlockReason::Sleep) g_sleeping.remove(thread);
    make_ready(thread);
}

// [scheduler-switch-directly]
void switch_directly(Thread* next)
{
    Thread* self = current();
    self->state = ThreadState::Blocked;
    self->resume_in_user_mode();
    next->state = ThreadState::Running;
    next->block_reason = BlockReason::None;
    // The partner runs on the rest of our time slice (as seL4 donates it): two threads calling
    // each other through the fast path still get preempted, and others of their priority run.
    next->slice_left = self->slice_left ? self->slice_left : 1;
    asm volatile("fxsave %0" : "=m"(self->fpu_state));
    per_cpu()->current = next;
    per_cpu()->kernel_rsp = next->kernel_stack_top();
    gdt::set_kernel_stack(next->kernel_stack_top());
    next->process->space.activate();
    switch_io_permissions(next->process);
    asm volatile("fxrstor %0" ::"m"(next->fpu_state));
    if (g_dead) reap_dead();
    return_to_user(next->user_frame());
}
// [scheduler-switch-directly]

void yield()
{
    Thread* self = current();
    if (self != g_idle) make_ready(self);
    schedule();
}

void sleep_current(uint64_t ns)
{
    Thread* self = current();
    self->block_reason = BlockReason::Sleep;
    self->wake_at_ns = clock::now_ns() + ns;
    g_sleeping.push_back(self);
    block_current();
}

void kill(Thread* thread)
{
    // Out of any IPC first: queues, a call in progress, a reply it owes (PeerDied to the caller).
    ipc::thread_dying(thread);
    if (thread->state == ThreadState::Ready) g_ready.remove(thread, thread->priority);
    if (thread->state == ThreadState::Blocked && thread->block_reason == BlockReason::Sleep)
        g_sleeping.remove(thread);
    if (thread == current()) {
        thread->state = ThreadState::Dead;
        reap_dead();
        g_dead = thread;  // Freed by whoever runs next, once we are off this stack.
        schedule();
        panic("a dead thread was scheduled");
    }
    thread->state = ThreadState::Dead;
    thread->release_resources();
    object_release(thread);
}

void preempt_for_wakeup()
{
    Thread* self = current();
    if (g_ready.is_empty()) return;
    if (self == g_idle) {
        schedule();
    } else if (g_ready.highest_priority() > static_cast<int>(self->priority)) {
        make_ready(self);
        schedule();
    }
}

void timer_tick()
{
    ++g_ticks;
    // Wake every sleeper whose time has come.
    uint64_t now = clock::now_ns();
    Thread* due[16];
    unsigned count = 0;
    g_sleeping.for_each([&](Thread* t) {
        if (t->wake_at_ns <= now && count < 16) due[count++] = t;
    });
    for (unsigned i = 0; i < count; ++i) wake(due[i]);
    Notification::fire_timers(now);

    Thread* self = current();
    if (self == g_idle) {
        if (!g_ready.is_empty()) schedule();
        return;
    }
    // Preempt when the slice is used up, or when a higher-priority thread became ready.
    if (self->slice_left > 0) --self->slice_left;
    if (self->slice_left == 0 || g_ready.highest_priority() > static_cast<int>(self->priority)) {
        make_ready(self);
        schedule();
    }
}

uint64_t ticks() { return g_ticks; }

} // namespace scheduler
