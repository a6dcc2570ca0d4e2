/// \file power.hpp
/// \brief Powering the machine off in QEMU (isa-debug-exit, ACPI) and Bochs (port 0x8900).
#pragma once

#include <stdint.h>

namespace power {

/// Drains the serial port and powers off. Under QEMU with `-device isa-debug-exit` the QEMU
/// process exits with status `code * 2 + 1`; under Bochs the "Shutdown" port stops the emulator.
[[noreturn]] void off(uint8_t code);

} // namespace power
