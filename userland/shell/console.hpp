/// \file console.hpp
/// \brief The shell's output: every byte goes to the serial console and to the VGA screen, whichever exist.
///
/// Both are character devices reached through chardev Clients, which retry a call that fails
/// with PeerDied: output written while the serial driver is being restarted arrives once the new
/// instance answers. Without a serial driver the text goes to the kernel console (debug_write),
/// which is the same UART, so the shell is still usable.
#pragma once

#include "ipc.hpp"
#include <stddef.h>

namespace console {

/// Sets the devices to write to; abi::kNullSlot for one that does not exist.
void attach(abi::CapSlot serial, abi::CapSlot vga);

/// Writes `length` bytes to every device; the serial driver sends each "\n" as "\r\n".
void write(const char* text, size_t length);

/// Writes a NUL-terminated string.
void puts(const char* text);

/// printf-style output (kernel/lib/format.hpp's conversions), at most 511 bytes per call.
void print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace console
