/// \file cap_mint.cpp
/// \brief `cap_mint(src, dst, rights, badge)`: a copy carrying a badge, so a server can tell its clients apart.
///
/// A badge is set once: minting from a capability that already has one is InvalidArgument, as is
/// a zero badge.
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_mint(SyscallContext& ctx)
{
    auto src = static_cast<abi::CapSlot>(ctx.arg(0));
    Capability* cap = TRY(ctx.process.caps.lookup(src, ObjectType::None, 0));
    uint64_t badge = ctx.arg(3);
    if (badge == 0 || cap->badge != 0) return Error::InvalidArgument;
    return TRY(ctx.process.caps.derive(ctx.process.caps.slot_at(src), static_cast<uint32_t>(ctx.arg(2)), badge,
                                       static_cast<abi::CapSlot>(ctx.arg(1))));
}

} // namespace syscalls
