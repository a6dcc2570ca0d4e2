/// \file cap_move.cpp
/// \brief `cap_move(src, dst)`: moves a capability to another slot (dst 0: any free slot).
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_move(SyscallContext& ctx)
{
    return TRY(ctx.process.caps.move_from(ctx.process.caps, static_cast<abi::CapSlot>(ctx.arg(0)),
                                          static_cast<abi::CapSlot>(ctx.arg(1))));
}

} // namespace syscalls
