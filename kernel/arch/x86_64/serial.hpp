/// \file serial.hpp
/// \brief The kernel's polled COM1 (16550 UART) output, used by the kernel log and panics.
#pragma once

#include <stddef.h>

namespace serial {

/// Programs COM1 for 115200 baud, 8N1, FIFOs on, interrupts off.
void init();
/// Writes `len` bytes, turning "\n" into "\r\n". Polls the line-status register before each byte.
void write(const char* text, size_t len);
/// Waits until the transmitter is completely empty, so nothing is lost at power-off.
void drain();

} // namespace serial
