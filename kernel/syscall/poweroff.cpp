/// \file poweroff.cpp
/// \brief `poweroff(code)`: stops the machine; the test harness reads the code.
///
/// Until capabilities exist any process may call it; the capability issue restricts it to init.
#include "core/log.hpp"
#include "core/power.hpp"
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_poweroff(SyscallContext& ctx)
{
    klog::info("power", "pid %lu (%s) requested power-off with code %lu", ctx.process.pid, ctx.process.name,
               ctx.arg(0));
    power::off(static_cast<uint8_t>(ctx.arg(0)));
}

} // namespace syscalls
