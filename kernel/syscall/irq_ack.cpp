/// \file irq_ack.cpp
/// \brief `irq_ack(irq)`: re-arms (unmasks) the line once the driver has handled the interrupt.
#include "core/process.hpp"
#include "object/irq_line.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_irq_ack(SyscallContext& ctx)
{
    Capability* irq = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::IrqLine,
                                                  abi::rights::kManage));
    static_cast<IrqLine*>(irq->object)->acknowledge();
    return 0;
}

} // namespace syscalls
