/// \file reply_send.cpp
/// \brief `reply_send(reply, info, w0..w3)`: answers a call saved with reply_save, and uses the Reply capability up.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_reply_send(SyscallContext& ctx) { return ipc::reply_saved(ctx.thread, ctx.frame); }

} // namespace syscalls
