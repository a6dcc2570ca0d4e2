/// \file prd.hpp
/// \brief The bus master's Physical Region Descriptor table: building it for a physically contiguous buffer, and checking it before the controller may use it (pure logic, no system calls).
///
/// A PIIX bus-master IDE controller finds the memory of a DMA transfer in a table of 8-byte
/// descriptors (PRDs), each naming one region by its physical address and length:
///
/// | bytes | field                                                                  |
/// |-------|------------------------------------------------------------------------|
/// | 0..3  | physical address of the region (bit 0 must be 0)                        |
/// | 4..5  | byte count (bit 0 must be 0; 0 means 64 KiB)                            |
/// | 6..7  | bit 15: end of table (EOT), set in the last descriptor only             |
///
/// The controller's address counter covers only bits 1..15 of the address, so a region must not
/// cross a 64 KiB boundary, and the addresses are 32-bit: everything must lie below 4 GiB. The
/// table itself must be dword-aligned and must not cross a 64 KiB boundary either (ours is a
/// page of its own).
#pragma once

#include <stdint.h>

namespace ata::prd {

struct Entry {
    uint32_t address;  ///< Physical address of the region.
    uint16_t bytes;    ///< Its length; 0 stands for 65536.
    uint16_t flags;    ///< kEndOfTable in the last entry.
};
static_assert(sizeof(Entry) == 8, "the controller reads 8-byte descriptors");

inline constexpr uint16_t kEndOfTable = 0x8000;
inline constexpr uint64_t kRegionLimit = 0x10000;       ///< No region crosses a multiple of 64 KiB.
inline constexpr uint64_t kAddressLimit = 1ull << 32;   ///< Bus-master addresses are 32-bit.
/// Entries a table may have: a 128 KiB buffer that starts anywhere needs at most 3.
inline constexpr uint32_t kMaxEntries = 8;

/// The length an entry describes.
inline uint64_t length_of(const Entry& e) { return e.bytes == 0 ? kRegionLimit : e.bytes; }

/// Fills `out` (room for kMaxEntries) with entries for `bytes` bytes at physical address
/// `phys`, cut at every 64 KiB boundary. \return the number of entries, or 0 if that is
/// impossible (nothing to transfer, an odd address or length, memory at or above 4 GiB, or more
/// than kMaxEntries needed).
inline uint32_t build(uint64_t phys, uint64_t bytes, Entry* out)
{
    if (bytes == 0 || (phys & 1) || (bytes & 1)) return 0;
    if (phys >= kAddressLimit || bytes > kAddressLimit - phys) return 0;
    uint32_t n = 0;
    uint64_t at = phys;
    uint64_t left = bytes;
    while (left > 0) {
        if (n == kMaxEntries) return 0;
        // Up to the next 64 KiB boundary; a whole 64 KiB region is written as a count of 0.
        uint64_t room = kRegionLimit - (at % kRegionLimit);
        uint64_t piece = left < room ? left : room;
        out[n++] = Entry{static_cast<uint32_t>(at), static_cast<uint16_t>(piece % kRegionLimit), 0};
        at += piece;
        left -= piece;
    }
    out[n - 1].flags = kEndOfTable;
    return n;
}

/// Whether the `n` entries describe exactly `bytes` bytes, every one of them inside the region
/// [region, region + region_bytes) and below 4 GiB, each entry within one 64 KiB block, and only
/// the last one marked as the end of the table. This is the check the driver makes on the table
/// it is about to hand to the controller, independently of how the table was built.
inline bool inside(const Entry* entries, uint32_t n, uint64_t bytes, uint64_t region, uint64_t region_bytes)
{
    if (n == 0 || n > kMaxEntries) return false;
    if (region >= kAddressLimit || region_bytes > kAddressLimit - region) return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; ++i) {
        const Entry& e = entries[i];
        uint64_t start = e.address;
        uint64_t length = length_of(e);
        bool last = i + 1 == n;
        if ((start & 1) || (length & 1)) return false;
        if (start < region || length > region_bytes || start - region > region_bytes - length) return false;
        if (start % kRegionLimit + length > kRegionLimit) return false;
        if ((e.flags == kEndOfTable) != last || (e.flags & ~kEndOfTable)) return false;
        total += length;
    }
    return total == bytes;
}

} // namespace ata::prd
