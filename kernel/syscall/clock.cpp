/// \file clock.cpp
/// \brief `clock()`: nanoseconds since boot.
#include "core/clock.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_clock(SyscallContext&) { return clock::now_ns(); }

} // namespace syscalls
