/// \file cap_delete.cpp
/// \brief `cap_delete(slot)`: deletes one capability; capabilities derived from it stay (they move up a level).
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_delete(SyscallContext& ctx)
{
    TRY(ctx.process.caps.remove(static_cast<abi::CapSlot>(ctx.arg(0))));
    return 0;
}

} // namespace syscalls
