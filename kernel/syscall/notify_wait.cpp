/// \file notify_wait.cpp
/// \brief `wait(ntfn)`: blocks until the word is non-zero, returns it in RDI and clears it.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_notify_wait(SyscallContext& ctx) { return ipc::notification_wait(ctx.thread, ctx.frame, true); }

} // namespace syscalls
