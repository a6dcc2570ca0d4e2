/// \file system_info.cpp
/// \brief `system_info(SystemInfo*)`: the kernel version, memory totals, module count, uptime and pid.
#include "abi/system.hpp"
#include "core/boot_modules.hpp"
#include "core/clock.hpp"
#include "core/process.hpp"
#include "core/version.hpp"
#include "lib/string.hpp"
#include "mm/memory.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_system_info(SyscallContext& ctx)
{
    abi::SystemInfo info{};
    size_t n = strnlen_bounded(kKernelVersion, sizeof(info.kernel_version) - 1);
    memcpy(info.kernel_version, kKernelVersion, n);
    info.usable_memory = mm::usable_bytes();
    info.free_memory = mm::frames().free_frames() * FrameAllocator::kFrameSize;
    info.boot_modules = boot_modules::count();
    info.uptime_ns = clock::now_ns();
    info.pid = ctx.process.pid;
    TRY(copy_to_user(ctx.process.space, ctx.arg(0), &info, sizeof(info)));
    return 0;
}

} // namespace syscalls
