/// \file boot.hpp
/// \brief The boot-information page the kernel maps into init: which slot holds which boot capability.
///
/// The kernel hands init a capability to everything it does not keep for itself, and describes
/// them here. init then gives each service only what it needs (see userland/init).
#pragma once

#include "abi/capability.hpp"
#include <stdint.h>

namespace abi {

inline constexpr uint64_t kBootInfoAddress = 0x00007ffffd000000ull;
inline constexpr uint32_t kMaxBootModules = 32;

struct BootModuleEntry {
    char name[32];   ///< The first word of the GRUB module line.
    CapSlot slot;    ///< A Memory capability (Read) to the image.
    uint32_t reserved;
    uint64_t size;
};

struct BootInfoPage {
    uint32_t module_count;
    CapSlot memory_pool;    ///< Memory pool (Manage) holding the RAM not used by the kernel.
    CapSlot io_ports;       ///< IoPortRange 0..0xffff.
    CapSlot mmio;           ///< MmioRange over the PCI hole (device memory below 4 GiB).
    CapSlot legacy_video;   ///< MmioRange over the legacy video memory 0xa0000..0xbffff.
    CapSlot irq_base;       ///< IrqLine for IRQ n is at irq_base + n (IRQ 0 and 2 are the kernel's).
    uint32_t irq_count;
    uint64_t mmio_base;
    uint64_t mmio_size;
    uint64_t usable_memory;
    BootModuleEntry modules[kMaxBootModules];
};

/// Init's fixed slots.
inline constexpr CapSlot kInitSlotPool = 3;
inline constexpr CapSlot kInitSlotIoPorts = 4;
inline constexpr CapSlot kInitSlotMmio = 5;
inline constexpr CapSlot kInitSlotLegacyVideo = 6;
inline constexpr CapSlot kInitSlotIrqBase = 16;
inline constexpr CapSlot kInitSlotModuleBase = 32;

} // namespace abi
