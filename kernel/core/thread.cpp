/// \file thread.cpp
/// \brief Creating threads: each starts life by "returning" from context_switch into a trampoline.
#include "core/thread.hpp"
#include "arch/x86_64/gdt.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"
#include "core/process.hpp"
#include "mm/object_cache.hpp"
#include "object/endpoint.hpp"
#include "object/notification.hpp"
#include "object/reply.hpp"

extern "C" void trap_return();
extern "C" void kernel_thread_trampoline();
extern "C" void syscall_return();

namespace {
ObjectCache<Thread> g_thread_cache{"thread"};
uint64_t g_next_tid = 1;

/// What context_switch pops when it switches to a new thread for the first time.
struct InitialSwitchFrame {
    uint64_t r15, r14, r13, r12, rbx, rbp;
    uint64_t return_address;
};

Result<Thread*> allocate(const char* name, uint8_t priority)
{
    Thread* t = TRY(g_thread_cache.create());
    auto reply = Reply::create();
    if (reply.is_error()) {
        g_thread_cache.destroy(t);
        return reply.error();
    }
    t->reply = reply.value();
    t->reply->owner = t;
    // Kernel stacks are four contiguous pages from the frame allocator, reached via the physmap.
    auto stack = mm::frames().allocate_contiguous(Thread::kKernelStackSize / 4096, 1);
    if (stack.is_error()) {
        object_release(t->reply);
        g_thread_cache.destroy(t);
        return stack.error();
    }
    t->kernel_stack = static_cast<uint8_t*>(layout::phys_to_virt(stack.value()));
    t->tid = g_next_tid++;
    t->priority = priority;
    size_t n = strnlen_bounded(name, sizeof(t->name) - 1);
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    // A clean FPU state: the default x87 control word and MXCSR (all exceptions masked).
    memset(t->fpu_state, 0, sizeof(t->fpu_state));
    t->fpu_state[0] = 0x7f;
    t->fpu_state[1] = 0x03;
    t->fpu_state[24] = 0x80;
    t->fpu_state[25] = 0x1f;
    return t;
}
} // namespace

const char* block_reason_name(BlockReason reason)
{
    switch (reason) {
    case BlockReason::None: return "-";
    case BlockReason::WaitChild: return "wait";
    case BlockReason::Sleep: return "sleep";
    case BlockReason::Send: return "send";
    case BlockReason::Receive: return "receive";
    case BlockReason::Reply: return "reply";
    case BlockReason::Notification: return "notification";
    }
    return "?";
}

const char* thread_state_name(ThreadState state)
{
    switch (state) {
    case ThreadState::Ready: return "ready";
    case ThreadState::Running: return "running";
    case ThreadState::Blocked: return "blocked";
    case ThreadState::Dead: return "dead";
    }
    return "?";
}

Result<Thread*> Thread::create_user(Process* process, const char* name, uint64_t entry, uint64_t user_rsp,
                                    uint64_t arg0, uint64_t arg1, uint8_t priority)
{
    Thread* t = TRY(allocate(name, priority));
    t->process = process;
    object_retain(process);  // A thread keeps its process object alive (not its memory).

    // [thread-first-frames]
    // The user registers the thread starts with, as if it had been interrupted right at `entry`.
    TrapFrame* frame = t->user_frame();
    memset(frame, 0, sizeof(*frame));
    frame->rip = entry;
    frame->cs = gdt::kUserCode;
    frame->rflags = 0x202;  // Interrupts on.
    frame->rsp = user_rsp;
    frame->ss = gdt::kUserData;
    frame->rdi = arg0;
    frame->rsi = arg1;

    // Below it, a frame for context_switch to pop, "returning" into trap_return, which restores
    // the TrapFrame above and irets to user mode.
    auto* initial = reinterpret_cast<InitialSwitchFrame*>(frame) - 1;
    memset(initial, 0, sizeof(*initial));
    initial->return_address = reinterpret_cast<uint64_t>(trap_return);
    t->saved_rsp = reinterpret_cast<uint64_t>(initial);
    return t;
    // [thread-first-frames]
}

Result<Thread*> Thread::create_kernel(const char* name, void (*function)(), uint8_t priority)
{
    Thread* t = TRY(allocate(name, priority));
    auto* initial = reinterpret_cast<InitialSwitchFrame*>(t->kernel_stack_top()) - 1;
    memset(initial, 0, sizeof(*initial));
    initial->r12 = reinterpret_cast<uint64_t>(function);  // The trampoline calls *r12.
    initial->return_address = reinterpret_cast<uint64_t>(kernel_thread_trampoline);
    t->saved_rsp = reinterpret_cast<uint64_t>(initial);
    return t;
}

// [thread-resume-in-user-mode]
void Thread::resume_in_user_mode()
{
    // Like a new thread's first switch (create_user), but back through the SYSCALL exit path.
    auto* resume = reinterpret_cast<InitialSwitchFrame*>(user_frame()) - 1;
    resume->return_address = reinterpret_cast<uint64_t>(syscall_return);
    saved_rsp = reinterpret_cast<uint64_t>(resume);
}
// [thread-resume-in-user-mode]

void Thread::release_resources()
{
    if (kernel_stack) {
        uint64_t stack = layout::virt_to_phys(kernel_stack);
        for (uint64_t offset = 0; offset < kKernelStackSize; offset += 4096) mm::physical().free_frame(stack + offset);
        kernel_stack = nullptr;
    }
    if (reply) {
        object_release(reply);
        reply = nullptr;
    }
    if (fault_endpoint) {
        object_release(fault_endpoint);
        fault_endpoint = nullptr;
    }
    if (bound_notification) {
        bound_notification->bound_thread = nullptr;
        object_release(bound_notification);
        bound_notification = nullptr;
    }
    ipc_buffer = nullptr;  // The page belonged to the address space, which is gone.
    if (process) {
        object_release(process);
        process = nullptr;
    }
}

void Thread::destroy(Thread* thread) { g_thread_cache.destroy(thread); }
