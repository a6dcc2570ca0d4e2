/// \file yield.cpp
/// \brief `yield()`: lets another thread of the same priority run.
#include "core/scheduler.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_yield(SyscallContext&)
{
    scheduler::yield();
    return 0;
}

} // namespace syscalls
