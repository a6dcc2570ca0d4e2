/// \file buffer.hpp
/// \brief The ATA driver's transfer buffer (kMaxTransferSectors sectors) and the bus master's PRD page: Memory objects from the service's pool, mapped at fixed addresses, outside .data and .bss.
///
/// Every disk transfer, DMA or PIO, goes through the one transfer buffer. It and the page that
/// holds the bus master's descriptor table are Memory objects allocated from the pool RS gives
/// the driver (`memory=` in services.conf): physically contiguous frames whose physical address
/// the kernel reports (sys::memory_info), which is what a DMA controller needs. They are mapped
/// with an unmapped gap between them, so a store that runs past the end of the buffer faults
/// instead of rewriting the descriptor table.
///
/// The buffer's physical address is deliberately not kept anywhere in the driver's memory: RS's
/// fault injection makes wild stores into .data and .bss, and a DMA to a wrong physical address
/// would write over memory the kernel or another process owns (there is no IOMMU). physical()
/// asks the kernel afresh, right before each transfer.
#pragma once

#include "abi/capability.hpp"
#include "abi/errors.hpp"
#include "disk.hpp"
#include <stdint.h>

namespace ata::buffer {

inline constexpr uint64_t kBufferBytes = static_cast<uint64_t>(kMaxTransferSectors) * 512;
inline constexpr uint64_t kPrdBytes = 4096;
/// Where they are mapped: 1 MiB apart, the space between them left unmapped.
inline constexpr uint64_t kBufferAddress = 0x40000000;
inline constexpr uint64_t kPrdAddress = 0x40100000;
/// What `memory=` must give at least: the buffer and the PRD page.
inline constexpr uint64_t kPoolBytes = kBufferBytes + kPrdBytes;

/// Allocates both from `pool` and maps them. \return None, or the error of the allocation or
/// mapping that failed (NoMemory: the pool is smaller than kPoolBytes).
abi::Error setup(abi::CapSlot pool);

/// The transfer buffer (kBufferBytes, mapped writable), or nullptr before setup().
uint8_t* data();

/// The PRD page (kPrdBytes, mapped writable), or nullptr before setup().
void* prd_page();

/// Physical addresses as the kernel reports them now.
struct Physical {
    uint64_t buffer;  ///< First byte of the transfer buffer; kBufferBytes follow contiguously.
    uint64_t prd;     ///< First byte of the PRD page.
};

/// Asks the kernel (sys::memory_info) where the two objects are, and checks that the answers
/// are about the objects this file allocated: plain frames, each of exactly its size. Nothing
/// is cached. \return None, or block::kIoError if either answer is not as expected.
abi::Error physical(Physical& out);

/// Whether `slot` holds one of the two Memory capabilities (never to be deleted as a received one).
bool holds(abi::CapSlot slot);

} // namespace ata::buffer
