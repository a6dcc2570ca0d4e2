/// \file devices.hpp
/// \brief `pcidev`'s device checks: each reads real registers through the BARs and IRQ line RS granted.
#pragma once

#include "protocols/pci.hpp"
#include <stdint.h>

namespace pcidev {

/// The granted capabilities, by protocol::pci::kSlotBar0 .. kSlotConfig offset (0: none).
struct Grant {
    abi::CapSlot slots[protocol::pci::kResourceSlots];
    abi::CapSlot bar(unsigned n) const { return slots[protocol::pci::kSlotBar0 + n]; }
    abi::CapSlot irq() const { return slots[protocol::pci::kSlotIrq]; }
};

/// The printing prefix ("pcidev: nic") and the device, for the checks.
struct Context {
    const char* label;
    protocol::pci::Device device;
    Grant grant;
};

/// Each returns the number of failed checks (0: all passed), printing one line per check.
unsigned check_e1000(const Context& c);      ///< 8086:100e: STATUS over MMIO and ports, MAC, an interrupt
unsigned check_std_vga(const Context& c);    ///< 1234:1111: the Bochs display ID and VRAM size over MMIO
unsigned check_ide(const Context& c);        ///< class 01.01: the bus-master PRD address register over ports

/// Maps an MMIO capability at a fresh address; nullptr (and a line) on failure.
volatile uint8_t* map_bar(const Context& c, unsigned bar);

} // namespace pcidev
