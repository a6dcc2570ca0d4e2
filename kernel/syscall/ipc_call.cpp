/// \file ipc_call.cpp
/// \brief `call(ep, info, w0..w3)`: sends and waits for the reply (the slow path; syscall_dispatch tries the fast path first).
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_ipc_call(SyscallContext& ctx) { return ipc::send(ctx.thread, ctx.frame, ipc::SendKind::Call); }

} // namespace syscalls
