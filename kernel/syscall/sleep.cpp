/// \file sleep.cpp
/// \brief `sleep(ns)`: blocks the caller for at least `ns` nanoseconds (timer resolution: one tick).
#include "core/scheduler.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_sleep(SyscallContext& ctx)
{
    scheduler::sleep_current(ctx.arg(0));
    return 0;
}

} // namespace syscalls
