/// \file window_write.cpp
/// \brief `window_write(reply, offset, src, len)`: copies from the server's memory into the window a call lent (see ipc/window.hpp).
#include "ipc/window.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_window_write(SyscallContext& ctx)
{
    return ipc::window_copy(ctx.thread, static_cast<abi::CapSlot>(ctx.arg(0)), ctx.arg(1), ctx.arg(2), ctx.arg(3),
                            ipc::WindowDirection::ToCaller);
}

} // namespace syscalls
