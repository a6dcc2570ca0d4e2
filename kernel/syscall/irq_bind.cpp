/// \file irq_bind.cpp
/// \brief `irq_bind(irq, ntfn)`: delivers the interrupt line as a signal of the notification capability's badge.
#include "core/process.hpp"
#include "object/irq_line.hpp"
#include "object/notification.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_irq_bind(SyscallContext& ctx)
{
    Capability* irq = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::IrqLine,
                                                  abi::rights::kManage));
    Capability* ntfn = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(1)), ObjectType::Notification,
                                                   abi::rights::kWrite));
    TRY(static_cast<IrqLine*>(irq->object)->bind(static_cast<Notification*>(ntfn->object),
                                                  ntfn->badge ? ntfn->badge : 1));
    return 0;
}

} // namespace syscalls
