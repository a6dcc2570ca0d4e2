/// \file system.hpp
/// \brief Structures passed between the kernel and user space by the basic system calls.
#pragma once

#include "abi/capability.hpp"
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

enum class ExitReason : uint32_t { Exited = 0, Faulted = 1, Killed = 2 };

/// The slots every process starts with.
inline constexpr CapSlot kSlotSelfProcess = 1;  ///< Its own Process (Manage).
inline constexpr CapSlot kSlotSelfThread = 2;   ///< Its main Thread (Manage).
inline constexpr CapSlot kFirstFreeSlot = 3;

/// One capability handed to a new process by spawn.
struct CapTransfer {
    CapSlot src;      ///< In the caller's table.
    CapSlot dst;      ///< In the child's table (>= kFirstFreeSlot).
    uint32_t rights;  ///< Mask applied to the copy.
};

inline constexpr uint32_t kMaxSpawnCaps = 64;

/// What spawn needs: the program image, its arguments, and exactly the capabilities it gets.
struct SpawnRequest {
    CapSlot image;            ///< A Memory capability (Read) holding the ELF file.
    CapSlot fault_endpoint;   ///< 0, or an Endpoint (Write) for the child's faults and exit.
    const char* name;         ///< Process name (at most 31 bytes).
    uint64_t name_len;
    const char* args;         ///< Argument string; argv[0] should be the name.
    uint64_t args_len;
    uint32_t priority;        ///< 1..31; 0 means the default (16).
    uint32_t cap_count;       ///< Entries used in caps.
    CapTransfer caps[kMaxSpawnCaps];
    CapSlot process_slot;     ///< Out: the child's Process capability, in the caller's table.
    CapSlot thread_slot;      ///< Out: the child's Thread capability, in the caller's table.
};

/// memory_map flags.
namespace map_flags {
inline constexpr uint32_t kWritable = 1;
inline constexpr uint32_t kExecutable = 2;
} // namespace map_flags

/// What memory_info reports.
struct MemoryInfo {
    uint64_t size;  ///< Bytes (for a pool: the budget left).
    uint64_t phys;  ///< Physical address of the first byte (0 for a pool): for DMA.
    uint32_t kind;  ///< 0 pool, 1 frames, 2 boot module.
    uint32_t reserved;
};

} // namespace abi
