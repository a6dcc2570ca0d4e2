/// \file system.hpp
/// \brief Structures passed between the kernel and user space by the basic system calls.
#pragma once

#include <stdint.h>

namespace abi {

/// Filled in by the `system_info` call.
struct SystemInfo {
    char kernel_version[32];   ///< "Samsara 0.1.0"
    uint64_t usable_memory;    ///< Bytes of RAM the kernel manages.
    uint64_t free_memory;      ///< Bytes not yet allocated.
    uint64_t boot_modules;     ///< How many GRUB modules were loaded.
    uint64_t uptime_ns;
    uint64_t pid;              ///< The caller's process id.
};

/// How a process ended, returned by `wait`.
struct ExitInfo {
    uint64_t pid;
    uint32_t reason;           ///< ExitReason.
    int32_t code;              ///< exit() argument when reason is Exited.
    uint64_t vector;           ///< CPU exception vector when reason is Faulted.
    uint64_t error_code;
    uint64_t rip;
    uint64_t cr2;
};

enum class ExitReason : uint32_t { Exited = 0, Faulted = 1 };

} // namespace abi
