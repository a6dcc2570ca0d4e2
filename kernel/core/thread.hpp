/// \file thread.hpp
/// \brief Thread: a kernel stack, saved registers, FPU state, a priority and a scheduling state.
#pragma once

#include "abi/ipc.hpp"
#include "arch/x86_64/trap_frame.hpp"
#include "lib/list.hpp"
#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Process;
struct Endpoint;
struct Notification;
struct Reply;

enum class ThreadState : uint8_t {
    Ready,    ///< On a run queue.
    Running,  ///< The CPU's current thread.
    Blocked,  ///< Waiting for something (a child's exit, a sleep, later an IPC partner).
    Dead,     ///< Finished; its stack is freed once the CPU has left it.
};

const char* thread_state_name(ThreadState state);

/// Why a blocked thread is blocked (for `wait`, sleeps, IPC, and the GDB helpers).
enum class BlockReason : uint8_t {
    None,
    WaitChild,     ///< In wait(), for a child process to end.
    Sleep,         ///< In sleep().
    Send,          ///< Queued on `ipc_endpoint`'s senders (send or call).
    Receive,       ///< Queued on `ipc_endpoint`'s receivers.
    Reply,         ///< Its call was received; waiting for the server's reply.
    Notification,  ///< Waiting on `ipc_notification`.
};

const char* block_reason_name(BlockReason reason);

/// A message the kernel sends on a thread's behalf (a fault or an exit), instead of one taken
/// from the thread's registers.
struct KernelMessage {
    bool pending = false;
    uint32_t label = 0;
    uint64_t words[4] = {};
};

struct Thread : KernelObject {
    static constexpr ObjectType kType = ObjectType::Thread;
    static constexpr uint64_t kKernelStackSize = 16384;

    Thread() : KernelObject(kType) {}

    uint64_t tid = 0;
    char name[24] = {};
    Process* process = nullptr;  ///< nullptr for kernel threads (the idle thread).
    ThreadState state = ThreadState::Blocked;
    BlockReason block_reason = BlockReason::None;
    uint8_t priority = 0;        ///< 0 (idle) .. 31.
    uint32_t slice_left = 0;     ///< Timer ticks before the thread is preempted.
    uint64_t wake_at_ns = 0;     ///< For BlockReason::Sleep.
    uint64_t wait_target = 0;    ///< For BlockReason::WaitChild: the pid waited for.

    // IPC state. Message words travel in the TrapFrame's registers; see ipc/ipc.hpp.
    ListNode ipc_link;                   ///< On an endpoint's or a notification's wait queue.
    Endpoint* ipc_endpoint = nullptr;    ///< Send/Receive: the endpoint waited on.
    Notification* ipc_notification = nullptr;
    uint64_t ipc_badge = 0;              ///< Send: the badge of the capability used.
    uint32_t ipc_rights = 0;             ///< Send: the rights of that capability (Grant?).
    bool ipc_is_call = false;            ///< Send: a call, which waits for a reply.
    Error ipc_result = Error::None;      ///< What the blocked system call returns when woken.
    Reply* ipc_reply = nullptr;          ///< Reply: the Reply object that holds our call (a server
                                         ///< thread's own, or one it saved with reply_save).
    Reply* reply = nullptr;              ///< The reply object this thread answers calls with.
    abi::Window lent_window{};           ///< The window its current call lends (length 0: none); see ipc/window.hpp.
    KernelMessage kernel_message;        ///< A fault or exit message waiting to be delivered.
    abi::IpcBuffer* ipc_buffer = nullptr;///< Kernel view of the thread's IPC buffer page.
    Endpoint* fault_endpoint = nullptr;  ///< Where faults and exit go (holds a reference).
    Notification* bound_notification = nullptr;  ///< Its signals end a receive (holds a reference).
    uint64_t fault_badge = 0;            ///< The badge of the fault-endpoint capability.

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
    /// Makes the thread, once switched to, leave the kernel at once through its saved system-call
    /// frame (which whoever wakes it has filled in with the result). Used when a thread blocks
    /// with nothing left to do in the kernel: the IPC fast path.
    void resume_in_user_mode();
    /// Frees the kernel stack and drops the thread's references (reply object, fault
    /// endpoint). Called once the thread is dead and the CPU has left its stack.
    void release_resources();
    /// Frees the object when its last reference goes (object_release).
    static void destroy(Thread* thread);
};
