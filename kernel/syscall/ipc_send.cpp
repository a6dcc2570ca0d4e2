/// \file ipc_send.cpp
/// \brief `send(ep, info, w0..w3)`: sends a message, waiting until a receiver takes it.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_ipc_send(SyscallContext& ctx) { return ipc::send(ctx.thread, ctx.frame, ipc::SendKind::Send); }

} // namespace syscalls
