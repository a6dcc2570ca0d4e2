/// \file cap_identify.cpp
/// \brief `cap_identify(slot, CapInfo*)`: what a slot holds: type, rights, badge and object id.
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_identify(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::None, 0));
    abi::CapInfo info{};
    info.type = cap->object->type;
    info.rights = cap->rights;
    info.badge = cap->badge;
    info.object_id = cap->object->id;
    if (cap->object->type == ObjectType::Process) info.pid = static_cast<Process*>(cap->object)->pid;
    TRY(copy_to_user(ctx.process.space, ctx.arg(1), &info, sizeof(info)));
    return 0;
}

} // namespace syscalls
