/// \file uart.hpp
/// \brief The 16550 UART at COM1 (ports 0x3f8..0x3ff), from user space: set-up for interrupt-driven input, receive, polled transmit.
///
/// The kernel writes its own log to the same UART, polling the line-status register before each
/// byte; the two share the transmitter. So the driver never touches what the kernel relies on:
/// it leaves the baud rate alone (the kernel set 115200 8N1 at boot, and reprogramming the divisor
/// means setting DLAB, which turns port 0x3f8 into the divisor latch — a kernel log byte written
/// at that moment would change the baud rate instead of being sent), and it never clears the
/// transmit FIFO.
#pragma once

#include "state.hpp"
#include <stddef.h>
#include <stdint.h>

namespace uart {

/// Whether a UART answers at COM1: its scratch register keeps what is written to it.
bool present();

/// Sets the UART up for the driver: 8N1 with DLAB off, FIFOs on with an interrupt per received
/// byte, DTR|RTS|OUT2 (OUT2 routes the UART's interrupt to the PIC), and the
/// received-data-available interrupt enabled.
void configure();

/// Reads the interrupt-identification register (which clears a transmitter-empty condition).
uint8_t interrupt_id();

/// Moves every byte the UART holds into `input` (counting those that do not fit in `dropped`).
/// \return Bytes read from the UART.
uint32_t receive(serial::InputBuffer& input, uint64_t& dropped);

/// Sends `text[0..length)`, each newline as CR LF, polling for room before every byte.
/// \return How many bytes of `text` were sent (fewer if the transmitter stopped draining).
uint32_t write(const char* text, uint32_t length);

} // namespace uart
