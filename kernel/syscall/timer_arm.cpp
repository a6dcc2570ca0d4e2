/// \file timer_arm.cpp
/// \brief `timer_arm(ntfn, ns, period_ns)`: the kernel signals the notification after `ns`, then every period.
///
/// The bits signalled are the capability's badge (1 if none). `ns` 0 disarms.
#include "core/process.hpp"
#include "object/notification.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_timer_arm(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Notification,
                                                  abi::rights::kWrite));
    static_cast<Notification*>(cap->object)->arm_timer(ctx.arg(1), ctx.arg(2), cap->badge ? cap->badge : 1);
    return 0;
}

} // namespace syscalls
