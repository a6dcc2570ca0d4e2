/// \file ipc_recv.cpp
/// \brief `recv(ep)`: waits for a message; the sender's badge comes back in RDI.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_ipc_recv(SyscallContext& ctx) { return ipc::receive(ctx.thread, ctx.frame); }

} // namespace syscalls
