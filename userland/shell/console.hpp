/// \file console.hpp
/// \brief The shell's output: every byte goes to the serial console and to the VGA screen, whichever exist, unless a builtin's output is redirected.
///
/// Both are character devices reached through chardev Clients, which retry a call that fails
/// with PeerDied: output written while the serial driver is being restarted arrives once the new
/// instance answers. Without a serial driver the text goes to the kernel console (debug_write),
/// which is the same UART, so the shell is still usable.
///
/// While a builtin runs, the executor may point its standard output and error elsewhere
/// (redirect()): a file or pipe descriptor of the shell's (`echo hi > f`, `service list | wc`),
/// or nowhere. Everything the builtin prints with print/puts/write (output) and error()
/// (errors) follows; the line editor's echo only ever runs with the devices in place.
#pragma once

#include "ipc.hpp"
#include <stddef.h>

namespace console {

/// redirect() targets besides a descriptor: the console devices (the default), or nowhere.
inline constexpr int kDevices = -1;
inline constexpr int kDiscard = -2;

/// Sets the devices to write to; abi::kNullSlot for one that does not exist.
void attach(abi::CapSlot serial, abi::CapSlot vga);

/// Sends output (write, puts, print) to `out` and error() to `err`: a descriptor, kDevices or
/// kDiscard. redirect(kDevices, kDevices) goes back to the console.
void redirect(int out, int err);

/// Writes `length` bytes to the output; on the devices, the serial driver sends each "\n" as "\r\n".
void write(const char* text, size_t length);

/// Writes a NUL-terminated string.
void puts(const char* text);

/// printf-style output (kernel/lib/format.hpp's conversions), at most 511 bytes per call.
void print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Like print, to the error output.
void error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace console
