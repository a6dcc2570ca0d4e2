/// \file exit.cpp
/// \brief `exit(code)`: ends the calling process; the parent's wait() receives the code.
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_exit(SyscallContext& ctx)
{
    abi::ExitInfo info{};
    info.reason = static_cast<uint32_t>(abi::ExitReason::Exited);
    info.code = static_cast<int32_t>(ctx.arg(0));
    ctx.process.terminate(info);  // Does not return.
    return 0;
}

} // namespace syscalls
