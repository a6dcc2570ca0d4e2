/// \file cap_revoke.cpp
/// \brief `cap_revoke(slot)`: deletes every capability derived from this one, in every process.
///
/// The slots that held them now report Error::Revoked, until something new is put there.
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_cap_revoke(SyscallContext& ctx)
{
    TRY(ctx.process.caps.revoke(static_cast<abi::CapSlot>(ctx.arg(0))));
    return 0;
}

} // namespace syscalls
