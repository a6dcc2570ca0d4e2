/// \file sources.hpp
/// \brief The console devices (serial, ps2kbd, vga): finding them, following their restarts, and reading what is typed.
///
/// The shell sleeps on one notification. Each source signals it through its own badged copy:
///   bit 1  serial input (the serial driver's subscription)
///   bit 2  keyboard input (the ps2kbd driver's subscription)
///   bit 3  a `drv.*` key changed in the data store (RS publishes `drv.<label>` = "up"/"down")
/// A restarted driver has forgotten its subscribers, so on `drv.serial` = "up" (or ps2kbd) the
/// shell subscribes again and drains what was typed meanwhile. A device that is down is not
/// called at all: a call to an endpoint nobody serves would wait forever. Console output then
/// goes to the devices that are left (console.hpp).
#pragma once

#include <stdint.h>

namespace sources {

inline constexpr uint64_t kSerialBit = 1ull << 1;
inline constexpr uint64_t kKeyboardBit = 1ull << 2;
inline constexpr uint64_t kDataStoreBit = 1ull << 3;
inline constexpr uint64_t kInputBits = kSerialBit | kKeyboardBit;

/// Looks up serial, ps2kbd, vga and ds through RS (missing ones are skipped), points the console
/// at serial and vga, and subscribes to input and to `drv.` changes.
/// \return false if the shell cannot wait for input at all (no notification).
bool start();

/// Sleeps until something happens. \return The input sources (kSerialBit, kKeyboardBit) that
/// may have bytes to read, including any just subscribed again after a restart.
uint64_t wait();

/// Reads up to `max` bytes typed on the source `bit`. \return How many; 0 when nothing is waiting.
uint32_t read(uint64_t bit, char* out, uint32_t max);

/// The shell has just stopped service `label` (`service down`): stop using it at once, before
/// the next output. It is used again when RS reports it up.
void stopped(const char* label);

} // namespace sources
