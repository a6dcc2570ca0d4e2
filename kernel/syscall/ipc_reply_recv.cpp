/// \file ipc_reply_recv.cpp
/// \brief `reply_recv(ep, info, w0..w3)`: answers the last call, then waits for the next message.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_ipc_reply_recv(SyscallContext& ctx) { return ipc::reply_receive(ctx.thread, ctx.frame); }

} // namespace syscalls
