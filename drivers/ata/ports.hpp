/// \file ports.hpp
/// \brief Port I/O for the ATA driver: byte registers and 16-bit string transfers of the data register.
///
/// The ports are ours through the IoPortRange capabilities RS puts in slots 9 and 10; the
/// kernel lets the instructions through only for those.
#pragma once

#include <stdint.h>

namespace ata::io {

inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }

/// Reads `words` 16-bit words from `port` into `out`.
inline void insw(uint16_t port, void* out, uint32_t words)
{
    asm volatile("rep insw" : "+D"(out), "+c"(words) : "d"(port) : "memory");
}

/// Writes `words` 16-bit words from `in` to `port`.
inline void outsw(uint16_t port, const void* in, uint32_t words)
{
    asm volatile("rep outsw" : "+S"(in), "+c"(words) : "d"(port) : "memory");
}

} // namespace ata::io
