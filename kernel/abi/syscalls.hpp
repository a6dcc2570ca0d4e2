/// \file syscalls.hpp
/// \brief The system-call table: one X-macro list that the kernel's dispatcher and libsys's stubs both expand.
///
/// Calling convention (SYSCALL): number in RAX; arguments in RDI, RSI, RDX, R10, R8, R9; result
/// in RAX (>= 0 success, < 0 a negated abi::Error). RCX and R11 are clobbered.
/// Adding a system call means one line here and one file in kernel/syscall/.
#pragma once

#include <stdint.h>

/// X(number, name, description)
#define SAMSARA_SYSCALLS(X)                                                                          \
    X(0, debug_write, "write(buf, len): write bytes to the kernel console; returns len")           \
    X(1, exit, "exit(code): end the calling process")                                               \
    X(2, yield, "yield(): give up the rest of the time slice")                                       \
    X(3, system_info, "system_info(SystemInfo*): kernel version, memory, uptime, pid")               \
    X(4, spawn, "spawn(name, name_len, args, args_len): start a boot module; returns pid")           \
    X(5, wait, "wait(pid, ExitInfo*): wait for a child (pid 0: any) to end")                         \
    X(6, clock, "clock(): nanoseconds since boot")                                                   \
    X(7, sleep, "sleep(ns): block for at least ns nanoseconds")                                      \
    X(8, poweroff, "poweroff(code): stop the machine (QEMU exits with status code*2+1)")

namespace abi {

enum class Syscall : uint64_t {
#define SAMSARA_SYSCALL_ENUM(number, name, description) name = number,
    SAMSARA_SYSCALLS(SAMSARA_SYSCALL_ENUM)
#undef SAMSARA_SYSCALL_ENUM
};

/// One more than the highest system-call number.
inline constexpr uint64_t kSyscallCount = 9;

} // namespace abi
