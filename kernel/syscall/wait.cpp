/// \file wait.cpp
/// \brief `wait(pid, ExitInfo*)`: blocks until a child ends, then collects how it ended.
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

namespace {
/// A zombie child matching `pid` (0 = any), or nullptr. Sets `has_child` if any child matches.
Process* find_ended_child(Process& parent, uint64_t pid, bool& has_child)
{
    Process* found = nullptr;
    has_child = false;
    Process::for_each([&](Process* p) {
        if (p->parent != &parent || (pid != 0 && p->pid != pid)) return;
        has_child = true;
        if (p->state == ProcessState::Zombie && !found) found = p;
    });
    return found;
}
} // namespace

Result<uint64_t> sys_wait(SyscallContext& ctx)
{
    uint64_t pid = ctx.arg(0);
    uint64_t out = ctx.arg(1);
    // Check the output pointer before blocking, so a bad pointer does not lose the exit status.
    abi::ExitInfo probe{};
    TRY(copy_from_user(ctx.process.space, &probe, out, sizeof(probe)));
    TRY(copy_to_user(ctx.process.space, out, &probe, sizeof(probe)));

    for (;;) {
        bool has_child = false;
        Process* child = find_ended_child(ctx.process, pid, has_child);
        if (!has_child) return Error::NoChild;
        if (child) {
            abi::ExitInfo info = child->exit_info;
            TRY(copy_to_user(ctx.process.space, out, &info, sizeof(info)));
            child->reap();
            return info.pid;
        }
        ctx.thread.block_reason = BlockReason::WaitChild;
        ctx.thread.wait_target = pid;
        scheduler::block_current();
    }
}

} // namespace syscalls
