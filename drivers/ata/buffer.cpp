/// \file buffer.cpp
/// \brief Allocating and mapping the transfer buffer and the PRD page, and asking the kernel for their physical addresses.
#include "buffer.hpp"
#include "abi/system.hpp"
#include "protocols/block.hpp"
#include "sys.hpp"

namespace ata::buffer {

namespace {

/// MemoryInfo::kind of frames allocated from a pool (0 is a pool, 2 a boot module).
constexpr uint32_t kKindFrames = 1;

// The capabilities of the two Memory objects. Only their slots are kept here: a wild store
// that changes one makes physical() ask about some other capability, whose kind or size gives
// it away.
abi::CapSlot g_buffer = abi::kNullSlot;
abi::CapSlot g_prd = abi::kNullSlot;

/// `bytes` of zeroed frames from `pool`, mapped writable at `address`. \return the Memory
/// capability's slot in `slot`.
abi::Error allocate_and_map(abi::CapSlot pool, uint64_t bytes, uint64_t address, abi::CapSlot& slot)
{
    int64_t memory = sys::memory_allocate(pool, bytes);
    if (memory < 0) return sys::error_of(memory);
    if (memory == 0) return abi::Error::InvalidCapability;
    int64_t mapped = sys::memory_map(static_cast<abi::CapSlot>(memory), address, abi::map_flags::kWritable);
    if (mapped != 0) {
        (void)sys::cap_delete(static_cast<abi::CapSlot>(memory));
        return sys::error_of(mapped);
    }
    // The capability stays: memory_info needs it before every transfer.
    slot = static_cast<abi::CapSlot>(memory);
    return abi::Error::None;
}

/// The physical address of the Memory object in `slot`, if it is plain frames of `bytes` bytes.
bool physical_of(abi::CapSlot slot, uint64_t bytes, uint64_t& out)
{
    abi::MemoryInfo info{};
    if (slot == abi::kNullSlot || sys::memory_info(slot, &info) != 0) return false;
    if (info.kind != kKindFrames || info.size != bytes || info.phys == 0) return false;
    out = info.phys;
    return true;
}

} // namespace

abi::Error setup(abi::CapSlot pool)
{
    if (abi::Error e = allocate_and_map(pool, kBufferBytes, kBufferAddress, g_buffer); e != abi::Error::None) return e;
    return allocate_and_map(pool, kPrdBytes, kPrdAddress, g_prd);
}

uint8_t* data() { return g_buffer ? reinterpret_cast<uint8_t*>(kBufferAddress) : nullptr; }

void* prd_page() { return g_prd ? reinterpret_cast<void*>(kPrdAddress) : nullptr; }

abi::Error physical(Physical& out)
{
    // Two objects of different sizes: a swapped or stray slot fails one of the size checks.
    if (!physical_of(g_buffer, kBufferBytes, out.buffer) || !physical_of(g_prd, kPrdBytes, out.prd))
        return protocol::block::kIoError;
    return abi::Error::None;
}

bool holds(abi::CapSlot slot) { return slot != abi::kNullSlot && (slot == g_buffer || slot == g_prd); }

} // namespace ata::buffer
