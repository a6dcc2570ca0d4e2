/// \file dispatch.cpp
/// \brief Routes a system call by number to its handler and turns the Result into RAX.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

extern "C" void syscall_entry();

namespace syscalls {

namespace {
using Handler = Result<uint64_t> (*)(SyscallContext&);

struct HandlerTable {
    Handler entries[abi::kSyscallCount];
};

/// The table, indexed by number, generated from the same list as the numbers themselves.
constexpr HandlerTable make_handler_table()
{
    HandlerTable table{};
#define SAMSARA_SYSCALL_ENTRY(number, name, description) table.entries[number] = sys_##name;
    SAMSARA_SYSCALLS(SAMSARA_SYSCALL_ENTRY)
#undef SAMSARA_SYSCALL_ENTRY
    return table;
}
constexpr HandlerTable kHandlers = make_handler_table();
} // namespace

void init()
{
    // STAR: SYSCALL loads CS = 0x08 (SS = 0x10); SYSRET loads CS = 0x18 + 16, SS = 0x18 + 8.
    cpu::wrmsr(cpu::kMsrStar, (uint64_t(gdt::kUserBase) << 48) | (uint64_t(gdt::kKernelCode) << 32));
    cpu::wrmsr(cpu::kMsrLstar, reinterpret_cast<uint64_t>(syscall_entry));
    // Cleared on entry: IF (the kernel runs with interrupts off), DF, TF, AC, NT.
    cpu::wrmsr(cpu::kMsrFmask, 0x200 | 0x400 | 0x100 | 0x40000 | 0x4000);
}

} // namespace syscalls

// [syscall-dispatch]
extern "C" void syscall_dispatch(TrapFrame* frame)
{
    uint64_t number = frame->rax;
    // The IPC fast paths come first (ipc/fastpath.cpp). When one applies it never returns: it
    // leaves the kernel through the partner thread's frame. Otherwise it returns false.
    if (number == static_cast<uint64_t>(abi::Syscall::ipc_call) && ipc::fastpath_call(*frame)) return;
    if (number == static_cast<uint64_t>(abi::Syscall::ipc_reply_recv) && ipc::fastpath_reply_receive(*frame)) return;

    Thread* thread = scheduler::current();
    if (number >= abi::kSyscallCount || !syscalls::kHandlers.entries[number]) {
        klog::debug("syscall", "pid %lu: unknown system call %lu", thread->process->pid, number);
        frame->rax = static_cast<uint64_t>(-static_cast<int64_t>(Error::NoSuchSyscall));
        return;
    }
    SyscallContext ctx{*frame, *thread, *thread->process};
    Result<uint64_t> result = syscalls::kHandlers.entries[number](ctx);
    frame->rax = result.is_error() ? static_cast<uint64_t>(-static_cast<int64_t>(result.error())) : result.value();
}
// [syscall-dispatch]
