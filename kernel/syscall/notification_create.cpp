/// \file notification_create.cpp
/// \brief `notification_create()`: a new notification, with every right, in the lowest free slot.
#include "core/process.hpp"
#include "object/notification.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_notification_create(SyscallContext& ctx)
{
    Notification* notification = TRY(Notification::create());
    auto slot = ctx.process.caps.insert({notification, abi::rights::kAll, 0}, nullptr);
    if (slot.is_error()) object_release(notification);
    return TRY(slot);
}

} // namespace syscalls
