/// \file window_read.cpp
/// \brief `window_read(reply, offset, dst, len)`: copies from the window a call lent into the server's memory (see ipc/window.hpp).
#include "ipc/window.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_window_read(SyscallContext& ctx)
{
    return ipc::window_copy(ctx.thread, static_cast<abi::CapSlot>(ctx.arg(0)), ctx.arg(1), ctx.arg(2), ctx.arg(3),
                            ipc::WindowDirection::ToServer);
}

} // namespace syscalls
