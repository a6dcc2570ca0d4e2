/// \file notify_poll.cpp
/// \brief `poll(ntfn)`: the word (possibly 0) in RDI, cleared, without blocking.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_notify_poll(SyscallContext& ctx) { return ipc::notification_wait(ctx.thread, ctx.frame, false); }

} // namespace syscalls
