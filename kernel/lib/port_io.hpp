/// \file port_io.hpp
/// \brief `in`/`out` instructions: 8, 16 and 32-bit port reads and writes, and 16-bit string transfers; for the kernel and the user-space drivers.
///
/// The kernel may use any port. A process may use them only on ports an IoPortRange capability
/// it holds covers; any other port raises a general-protection fault (see docs/capabilities.md,
/// "I/O ports").
#pragma once

#include <stdint.h>

namespace port_io {

inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" ::"a"(value), "Nd"(port)); }
inline void outw(uint16_t port, uint16_t value) { asm volatile("outw %0, %1" ::"a"(value), "Nd"(port)); }
inline void outl(uint16_t port, uint32_t value) { asm volatile("outl %0, %1" ::"a"(value), "Nd"(port)); }

/// Reads `words` 16-bit words from `port` into `out` (a disk's data register: one sector is 256).
inline void insw(uint16_t port, void* out, uint32_t words)
{
    asm volatile("rep insw" : "+D"(out), "+c"(words) : "d"(port) : "memory");
}

/// Writes `words` 16-bit words from `in` to `port`.
inline void outsw(uint16_t port, const void* in, uint32_t words)
{
    asm volatile("rep outsw" : "+S"(in), "+c"(words) : "d"(port) : "memory");
}

} // namespace port_io
