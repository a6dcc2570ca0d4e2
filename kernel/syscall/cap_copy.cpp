/// \file cap_copy.cpp
/// \brief `cap_copy(src, dst, rights)`: a copy of a capability with rights masked (dst 0: any free slot).
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_copy(SyscallContext& ctx)
{
    auto src = static_cast<abi::CapSlot>(ctx.arg(0));
    TRY(ctx.process.caps.lookup(src, ObjectType::None, 0));
    return TRY(ctx.process.caps.derive(ctx.process.caps.slot_at(src), static_cast<uint32_t>(ctx.arg(2)), 0,
                                       static_cast<abi::CapSlot>(ctx.arg(1))));
}

} // namespace syscalls
