/// \file multiboot2.hpp
/// \brief Parses the multiboot2 boot information GRUB hands the kernel: memory map, modules, command line.
///
/// The parser is pure logic with no kernel dependencies, so it is also built for the host and
/// tested with Catch2 on crafted (and malformed) information blocks. It never trusts a length
/// field: every tag is checked to lie inside the block before it is read, and a malformed block
/// is rejected with a one-line reason instead of being half-used.
#pragma once

#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

namespace mb2 {

/// The magic value GRUB leaves in EAX when it enters a multiboot2 kernel.
inline constexpr uint32_t kBootloaderMagic = 0x36d76289;

inline constexpr size_t kMaxRegions = 64;   ///< Memory-map entries kept; more is an error.
inline constexpr size_t kMaxModules = 32;   ///< Boot modules kept; more is an error.

/// Memory-map entry types from the multiboot2 specification.
enum class RegionType : uint32_t {
    Available = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    BadRam = 5,
};

/// One entry of the firmware memory map.
struct MemoryRegion {
    uint64_t base;
    uint64_t length;
    uint32_t type;  ///< A RegionType value; unknown values are kept and treated as reserved.
};

/// One GRUB module: a file loaded into physical memory, with the string after its path.
struct Module {
    uint64_t start;       ///< Physical address of the first byte.
    uint64_t end;         ///< Physical address one past the last byte.
    const char* cmdline;  ///< NUL-terminated, points into the information block.
};

/// Everything the kernel takes from the boot information.
struct BootInfo {
    const char* cmdline = "";          ///< Kernel command line ("" when the tag is absent).
    const char* bootloader = "";       ///< Boot loader name ("" when absent).
    MemoryRegion regions[kMaxRegions]; ///< The memory map, in the order given.
    size_t region_count = 0;
    Module modules[kMaxModules];       ///< Modules, in the order grub.cfg lists them.
    size_t module_count = 0;
    uint32_t mem_lower_kb = 0;         ///< From the basic memory-information tag, if present.
    uint32_t mem_upper_kb = 0;
};

/// Parses the information block at `info`.
///
/// \param info  The block as GRUB left it (8-byte aligned; starts with total_size and reserved).
/// \param limit How many bytes at `info` may be read at most. The block's own total_size must not
///              exceed it.
/// \param out   Filled in on success; unspecified on error.
/// \param why   On error, set to a static one-line reason such as "tag overruns the block".
/// \return Nothing, or Error::BadFormat when the block is malformed. Malformed means any of:
///         total_size smaller than 16 or larger than `limit`; a misaligned `info`; a tag whose size
///         is under 8 or runs past the end; no end tag (type 0, size 8); a memory-map tag whose
///         entry_size is under 24 or not a multiple of 8, or whose entries do not fit; a string tag
///         (command line, boot loader name, module string) that is not NUL-terminated inside the
///         tag; a module whose end is before its start; more than kMaxRegions regions or
///         kMaxModules modules; a required memory-map tag (type 6) missing.
Result<void> parse(const void* info, size_t limit, BootInfo& out, const char*& why);

/// Sums the lengths of the Available regions (overlaps are not double-counted by GRUB's maps, and
/// this function does not try to detect them).
uint64_t available_bytes(const BootInfo& info);

} // namespace mb2
