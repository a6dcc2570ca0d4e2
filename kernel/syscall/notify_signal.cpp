/// \file notify_signal.cpp
/// \brief `signal(ntfn)`: ORs the capability's badge (1 if none) into the notification word.
#include "core/process.hpp"
#include "object/notification.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_notify_signal(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Notification,
                                                  abi::rights::kWrite));
    static_cast<Notification*>(cap->object)->signal(cap->badge ? cap->badge : 1);
    return 0;
}

} // namespace syscalls
