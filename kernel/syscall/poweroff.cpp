/// \file poweroff.cpp
/// \brief `poweroff(code)`: stops the machine; the test harness reads the code.
///
/// Powering off is done through I/O ports (isa-debug-exit at 0xf4 in QEMU), so the authority to
/// do it is the authority over that port: the caller must hold an IoPortRange covering 0xf4.
/// init holds every port at boot.
#include "core/log.hpp"
#include "core/power.hpp"
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_poweroff(SyscallContext& ctx)
{
    constexpr uint16_t kDebugExitPort = 0xf4;
    if (!ctx.process.io_bitmap || (ctx.process.io_bitmap[kDebugExitPort / 8] & (1u << (kDebugExitPort % 8))))
        return Error::InsufficientRights;
    klog::info("power", "pid %lu (%s) requested power-off with code %lu", ctx.process.pid, ctx.process.name,
               ctx.arg(0));
    power::off(static_cast<uint8_t>(ctx.arg(0)));
}

} // namespace syscalls
