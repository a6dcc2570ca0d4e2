/// \file handlers.hpp
/// \brief The ATA driver's state and its block-protocol request handlers (read, write, flush, geometry).
///
/// Every request is checked to be exactly its label's struct, with no capabilities, and its
/// numbers to lie inside the transfer and the disk, before it is acted on; a malformed one is
/// answered with a Header whose status is InvalidArgument.
#pragma once

#include "disk.hpp"
#include "ipc.hpp"
#include "transfers.hpp"
#include <stdint.h>

namespace ata {

/// Slots from the service table line `irq=14 ports=0x1f0:8 ports=0x3f6:1` (see protocols/rs.hpp).
inline constexpr abi::CapSlot kSlotIrq = 8;          ///< IrqLine 14
inline constexpr abi::CapSlot kSlotPorts = 9;        ///< IoPortRange 0x1f0..0x1f7 (command block)
inline constexpr abi::CapSlot kSlotControlPort = 10; ///< IoPortRange 0x3f6 (control block)

/// Everything the driver knows. Zero-initialised in .bss (constinit: no constructor runs).
struct State {
    Drive drive;
    Transfers transfers;
};

/// block kRead: Header -> Chunk (or a Header with an error status).
ipc::Message do_read(State& s, const ipc::Message& m);
/// block kWrite: Chunk -> Header.
ipc::Message do_write(State& s, const ipc::Message& m);
/// block kFlush: Header -> Header.
ipc::Message do_flush(State& s, const ipc::Message& m);
/// block kGeometry: nothing -> Geometry.
ipc::Message do_geometry(const State& s, const ipc::Message& m);

} // namespace ata
