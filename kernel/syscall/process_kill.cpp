/// \file process_kill.cpp
/// \brief `process_kill(process)`: ends a process (Manage right); its parent's wait() sees ExitReason::Killed.
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_process_kill(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Process,
                                                  abi::rights::kManage));
    auto* process = static_cast<Process*>(cap->object);
    if (process->state == ProcessState::Zombie) return Error::PeerDied;
    abi::ExitInfo info{};
    info.reason = static_cast<uint32_t>(abi::ExitReason::Killed);
    process->terminate(info);  // Does not return if the caller killed itself.
    return 0;
}

} // namespace syscalls
