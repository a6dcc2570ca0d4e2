/// \file disk.hpp
/// \brief The ATA disk on the primary channel's master (ports 0x1f0..0x1f7, 0x3f6; IRQ 14): reset, IDENTIFY, reads and writes through one transfer buffer by bus-master DMA or PIO, cache flush.
///
/// Every transfer moves between the disk and one transfer buffer of kMaxTransferSectors sectors,
/// which lives outside the program's .data and .bss (buffer.hpp). It goes by bus-master DMA
/// (READ DMA / WRITE DMA, busmaster.hpp) when the service table gave the driver the PIIX IDE
/// controller (`pci=8086:7010`: BAR4 and its configuration space, for Bus Master Enable) and the
/// disk says in IDENTIFY that it can; otherwise by PIO, as in the ATA/ATAPI-6 specification:
/// every sector is waited for (BSY clear, then DRQ) and moved through the 16-bit data register.
/// Either way the waits are driven by the drive's (and the bus master's) status, not by counting
/// interrupts: an interrupt (or the timer, if none comes) only says when to look again (see
/// wait.hpp). LBA28 commands are used while the sectors are below 2^28, LBA48 ones past it on
/// drives that have them.
///
/// Errors: InvalidArgument (sectors outside the disk, or too many), NotFound (no ATA disk),
/// block::kIoError (the drive set ERR or DF, the bus master reported an error, or the DMA
/// descriptors failed their check), block::kTimedOut (still busy after kCommandNs; the bus
/// master has been stopped and the channel reset).
#pragma once

#include "abi/errors.hpp"
#include <stdint.h>

namespace ata {

/// The most sectors one read() or write() moves: the transfer buffer's size (128 KiB).
inline constexpr uint32_t kMaxTransferSectors = 256;

struct Drive {
    bool present;
    bool lba48;
    bool dma;  ///< IDENTIFY word 49 bit 8: the drive does DMA.
    uint64_t sectors;
    char model[41];
};

/// Resets the channel (the last instance may have died in the middle of a command) and
/// identifies the master. \return None, or NotFound when there is no ATA disk (an empty
/// channel, a floating bus, or an ATAPI device).
abi::Error probe(Drive& out);

/// Whether read() and write() use bus-master DMA for `drive` (else PIO).
bool uses_dma(const Drive& drive);

/// The transfer buffer: kMaxTransferSectors * 512 bytes, mapped, not in .bss.
uint8_t* transfer_buffer();

/// Reads `count` (1..kMaxTransferSectors) sectors at `lba` into transfer_buffer().
abi::Error read(const Drive& drive, uint64_t lba, uint32_t count);

/// Writes `count` (1..kMaxTransferSectors) sectors from transfer_buffer() at `lba`.
abi::Error write(const Drive& drive, uint64_t lba, uint32_t count);

/// FLUSH CACHE: the drive's write cache onto the medium.
abi::Error flush(const Drive& drive);

/// An interrupt that came while no command waited: reads the status (lowering INTRQ) and
/// re-arms the line.
void on_stray_interrupt();

} // namespace ata
