/// \file ipc_nb_send.cpp
/// \brief `nb_send(ep, info, w0..w3)`: sends only if a receiver is waiting; never blocks (WouldBlock).
///
/// The reincarnation server pings services this way: a sick service can never block it.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_ipc_nb_send(SyscallContext& ctx)
{
    return ipc::send(ctx.thread, ctx.frame, ipc::SendKind::NonBlockingSend);
}

} // namespace syscalls
