/// \file bar.hpp
/// \brief Decoding a base address register from its value and the value read back after writing all ones (pure logic, host-tested).
///
/// The standard probe: with the device's decoding off, write 0xffffffff to the BAR, read it
/// back, write the original value again. The device forces the address bits below its size to
/// zero, so the read-back value is a mask: the size is its two's complement. The low bits say
/// what the BAR is: bit 0 set means I/O ports (bits 1 reserved); otherwise memory, with bits 2..1
/// the width (00 32-bit, 10 64-bit: this register and the next hold the address) and bit 3
/// "prefetchable".
#pragma once

#include "protocols/pci.hpp"
#include <stdint.h>

namespace pci {

/// How many BAR registers a configuration header has: six for a device (type 0), two for a
/// PCI-to-PCI bridge (type 1), none for anything else. Bit 7 (multi-function) is ignored.
inline unsigned bar_count(uint8_t header_type)
{
    switch (header_type & 0x7f) {
    case 0: return 6;
    case 1: return 2;
    default: return 0;
    }
}

/// Whether a BAR's original value says it is the first half of a 64-bit memory BAR.
inline bool is_64bit(uint32_t original) { return (original & 0x7) == 0x4; }

/// Decodes one BAR. `original` and `probed` are the register before and after writing all ones;
/// for a 64-bit BAR, `high` and `high_probed` are the same for the next register (else ignored).
inline protocol::pci::Bar decode_bar(uint32_t original, uint32_t probed, uint32_t high = 0, uint32_t high_probed = 0)
{
    using protocol::pci::BarKind;
    protocol::pci::Bar bar{};
    if (original & 1) {
        // I/O: bits 31..2 are the address. Some devices implement only the low 16 bits and
        // read the upper ones back as 0: they still decode only 64 Ki ports.
        uint32_t mask = probed & ~0x3u;
        if (mask == 0) return bar;
        if ((mask & 0xffff0000u) == 0) mask |= 0xffff0000u;
        bar.kind = BarKind::Io;
        bar.base = original & ~0x3u;
        bar.size = static_cast<uint32_t>(~mask + 1);
        return bar;
    }
    uint64_t mask = probed & ~0xfu;
    uint64_t base = original & ~0xfu;
    if (is_64bit(original)) {
        mask |= uint64_t(high_probed) << 32;
        base |= uint64_t(high) << 32;
    } else {
        // A 32-bit BAR decodes no address bit above 31: as if they all read back as ones.
        if (mask == 0) return bar;
        mask |= 0xffffffff00000000ull;
    }
    if (mask == 0) return bar;
    bar.kind = is_64bit(original) ? BarKind::Memory64 : BarKind::Memory32;
    bar.base = base;
    bar.size = ~mask + 1;
    bar.prefetchable = (original & 0x8) ? 1 : 0;
    return bar;
}

} // namespace pci
