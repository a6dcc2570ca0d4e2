/// \file debug_write.cpp
/// \brief `debug_write(buf, len)`: copies user bytes to the kernel console.
#include "core/log.hpp"
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_debug_write(SyscallContext& ctx)
{
    uint64_t buffer = ctx.arg(0);
    uint64_t length = ctx.arg(1);
    if (length > kMaxDebugWrite) return Error::InvalidArgument;
    // The whole range is checked first: a bad pointer anywhere fails the call before any output.
    TRY(check_user_range(ctx.process.space, buffer, length, false));
    char chunk[256];
    for (uint64_t done = 0; done < length; done += sizeof(chunk)) {
        uint64_t n = length - done < sizeof(chunk) ? length - done : sizeof(chunk);
        TRY(copy_from_user(ctx.process.space, chunk, buffer + done, n));
        klog::raw(chunk, n);
    }
    return length;
}

} // namespace syscalls
