/// \file disk.hpp
/// \brief The ATA disk on the primary channel's master (ports 0x1f0..0x1f7, 0x3f6; IRQ 14): reset, IDENTIFY, PIO reads and writes, cache flush.
///
/// PIO data-in and data-out as in the ATA/ATAPI-6 specification: every sector is waited for
/// (BSY clear, then DRQ) and moved through the 16-bit data register. The waits are driven by
/// the drive's status, not by counting interrupts: an interrupt (or the timer, if none comes)
/// only says when to look again (see wait.hpp). LBA28 commands are used while the sectors are
/// below 2^28, LBA48 ones past it on drives that have them.
///
/// Errors: InvalidArgument (sectors outside the disk, or too many), NotFound (no ATA disk),
/// block::kIoError (the drive set ERR or DF), block::kTimedOut (still busy after kCommandNs; the
/// channel has been reset).
#pragma once

#include "abi/errors.hpp"
#include <stdint.h>

namespace ata {

struct Drive {
    bool present;
    bool lba48;
    uint64_t sectors;
    char model[41];
};

/// Resets the channel (the last instance may have died in the middle of a command) and
/// identifies the master. \return None, or NotFound when there is no ATA disk (an empty
/// channel, a floating bus, or an ATAPI device).
abi::Error probe(Drive& out);

/// Reads `count` (1..256) sectors at `lba` into `out` (count * 512 bytes).
abi::Error read(const Drive& drive, uint64_t lba, uint32_t count, uint8_t* out);

/// Writes `count` (1..256) sectors from `in` at `lba`.
abi::Error write(const Drive& drive, uint64_t lba, uint32_t count, const uint8_t* in);

/// FLUSH CACHE: the drive's write cache onto the medium.
abi::Error flush(const Drive& drive);

/// An interrupt that came while no command waited: reads the status (lowering INTRQ) and
/// re-arms the line.
void on_stray_interrupt();

} // namespace ata
