/// \file layout.hpp
/// \brief The virtual address-space layout: user half, physmap, kernel MMIO window, kernel image.
///
/// ```
/// 0x0000000000000000 .. 0x0000000000001000   never mapped (null pointers fault)
/// 0x0000000000001000 .. 0x0000800000000000   user space (each process its own)
/// 0xffff800000000000 .. +4 GiB               physmap: all physical memory below 4 GiB, 2 MiB pages
/// 0xffffff0000000000 .. +512 GiB             kernel MMIO window (uncached 4 KiB pages)
/// 0xffffffff80000000 .. kernel_end           the kernel image (physical 1 MiB upward)
/// ```
/// The kernel half (PML4 slots 256..511) is shared by every address space.
#pragma once

#include <stdint.h>

namespace layout {

// [layout-constants]
inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kUserMin = 0x1000;
inline constexpr uint64_t kUserMax = 0x0000800000000000;  ///< One past the last user address.
inline constexpr uint64_t kPhysmapBase = 0xffff800000000000;
inline constexpr uint64_t kPhysmapSize = 4ull << 30;      ///< What boot.S maps.
inline constexpr uint64_t kMmioBase = 0xffffff0000000000;
inline constexpr uint64_t kMmioSize = 512ull << 30;
inline constexpr uint64_t kKernelBase = 0xffffffff80000000;
// [layout-constants]

/// The kernel's view of a physical address, through the physmap.
inline void* phys_to_virt(uint64_t phys) { return reinterpret_cast<void*>(kPhysmapBase + phys); }
/// The physical address behind a physmap or kernel-image address.
inline uint64_t virt_to_phys(const void* virt)
{
    uint64_t v = reinterpret_cast<uint64_t>(virt);
    return v >= kKernelBase ? v - kKernelBase : v - kPhysmapBase;
}

/// True for addresses the kernel always has mapped (physmap and kernel image).
inline bool is_kernel_address(uint64_t v)
{
    return (v >= kPhysmapBase && v < kPhysmapBase + kPhysmapSize) || v >= kKernelBase;
}

/// True if [start, start+len) lies entirely in the user half, with no wrap-around.
inline bool is_user_range(uint64_t start, uint64_t len)
{
    return start >= kUserMin && start <= kUserMax && len <= kUserMax - start;
}

inline constexpr uint64_t page_round_down(uint64_t v) { return v & ~(kPageSize - 1); }
inline constexpr uint64_t page_round_up(uint64_t v) { return (v + kPageSize - 1) & ~(kPageSize - 1); }

} // namespace layout
