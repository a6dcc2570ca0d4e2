/// \file endpoint_create.cpp
/// \brief `endpoint_create()`: a new endpoint, with every right, in the lowest free slot.
#include "core/process.hpp"
#include "object/endpoint.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_endpoint_create(SyscallContext& ctx)
{
    Endpoint* endpoint = TRY(Endpoint::create());
    auto slot = ctx.process.caps.insert({endpoint, abi::rights::kAll, 0}, nullptr);
    if (slot.is_error()) object_release(endpoint);
    return TRY(slot);
}

} // namespace syscalls
