/// \file busmaster.hpp
/// \brief The PIIX bus-master IDE interface of the primary channel (the controller's BAR4): setting it up through the PCI driver, and the descriptor table, start and stop of one DMA transfer.
///
/// The controller's bus-master block is 16 I/O ports at BAR4; the primary channel uses the
/// first 8 (the secondary the next 8, not ours):
///
/// | port     | register                                                                    |
/// |----------|-----------------------------------------------------------------------------|
/// | base + 0 | command: bit 0 start/stop, bit 3 direction (1: the device writes memory)     |
/// | base + 2 | status: bit 0 active, bit 1 error, bit 2 interrupt (bits 1, 2: write 1 to clear); bits 5, 6 are the firmware's notes that a drive can do DMA |
/// | base + 4 | the physical address of the descriptor table (32 bits)                        |
///
/// The command and status registers are accessed a byte at a time (QEMU ignores wider
/// accesses to them). A transfer is (1) prepare(): the table, its address, the direction, the
/// status bits cleared; (2) the READ DMA or WRITE DMA command to the drive (disk.cpp);
/// (3) start(); (4) the drive interrupts when its sectors have moved, which the controller
/// latches in the status register's interrupt bit; (5) stop(), then the drive's status.
#pragma once

#include "abi/capability.hpp"
#include "abi/errors.hpp"
#include <stdint.h>

namespace ata::busmaster {

inline constexpr uint8_t kStatusActive = 0x01;
inline constexpr uint8_t kStatusError = 0x02;
inline constexpr uint8_t kStatusInterrupt = 0x04;

/// Makes the bus master usable: learns BAR4's first port from the PCI driver (through `config`,
/// the PCI driver's endpoint badged for our device at `location`, "BB:DD.F"), checks that
/// `bar4` holds the I/O-port capability for it, stops a transfer a previous instance may have
/// left running and clears its status, then sets Bus Master Enable (and I/O Space Enable) in
/// the device's PCI command register. \return None, or an error with `why` saying, for the
/// start-up message, what was missing; the driver then uses PIO.
abi::Error setup(abi::CapSlot bar4, abi::CapSlot config, const char* location, const char*& why);

/// Whether setup() succeeded.
bool available();

/// The first port of the primary channel's registers (BAR4), for messages.
uint16_t base();

/// (1) Builds the descriptor table for the first `bytes` bytes of the transfer buffer, from
/// physical addresses asked of the kernel just now, checks that every entry lies inside the
/// buffer, and loads the table's address and the direction (`to_memory`: a disk read) into the
/// controller, its interrupt and error bits cleared. \return None, or block::kIoError if the
/// bus master is not available or the table fails its check (then nothing was started).
abi::Error prepare(uint32_t bytes, bool to_memory);

/// (3) Starts the transfer prepared last.
void start();

/// The status register.
uint8_t status();

/// (5) Stops the transfer (aborting it if it is still running) and clears the interrupt and
/// error bits. \return the status as it was before they were cleared.
uint8_t stop();

} // namespace ata::busmaster
