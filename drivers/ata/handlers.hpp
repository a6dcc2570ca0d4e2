/// \file handlers.hpp
/// \brief The ATA driver's state and its block-protocol request handlers (read, write, flush, geometry).
///
/// Every request is checked to be exactly its label's struct, with no capabilities, and its
/// numbers to lie inside the transfer and the disk, before it is acted on; a malformed one is
/// answered with a Header whose status is InvalidArgument.
#pragma once

#include "disk.hpp"
#include "ipc.hpp"
#include "protocols/pci.hpp"
#include <stdint.h>

namespace ata {

/// Slots from the service table line `irq=14 ports=0x1f0:8 ports=0x3f6:1 memory=0x21000
/// pci=8086:7010`, in that order (see protocols/rs.hpp and protocols/pci.hpp). Without `pci=`,
/// slots 12..19 stay empty and the driver uses PIO.
inline constexpr abi::CapSlot kSlotIrq = 8;          ///< IrqLine 14
inline constexpr abi::CapSlot kSlotPorts = 9;        ///< IoPortRange 0x1f0..0x1f7 (command block)
inline constexpr abi::CapSlot kSlotControlPort = 10; ///< IoPortRange 0x3f6 (control block)
inline constexpr abi::CapSlot kSlotPool = 11;        ///< Memory pool: the transfer buffer and the PRD page
inline constexpr abi::CapSlot kSlotPci = 12;         ///< The first of the IDE controller's 8 slots
/// IoPortRange: the controller's BAR4, the bus-master registers.
inline constexpr abi::CapSlot kSlotBusMaster = kSlotPci + protocol::pci::kSlotBar0 + 4;
/// The PCI driver's endpoint, badged for the controller: its configuration space.
inline constexpr abi::CapSlot kSlotPciConfig = kSlotPci + protocol::pci::kSlotConfig;

/// Everything the driver knows. Zero-initialised in .bss (constinit: no constructor runs).
struct State {
    Drive drive;
};

/// block kRead: Request + a window we write -> Request (status).
ipc::Message do_read(State& s, const ipc::Message& m);
/// block kWrite: Request + a window we read -> Request (status).
ipc::Message do_write(State& s, const ipc::Message& m);
/// block kFlush: nothing -> Request (status).
ipc::Message do_flush(State& s, const ipc::Message& m);
/// block kGeometry: nothing -> Geometry.
ipc::Message do_geometry(const State& s, const ipc::Message& m);

} // namespace ata
