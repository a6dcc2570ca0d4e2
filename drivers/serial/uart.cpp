/// \file uart.cpp
/// \brief 16550 register access for the serial driver (the ports come from the IoPortRange capability in slot 9).
#include "uart.hpp"
#include "lib/port_io.hpp"

namespace uart {

namespace {

constexpr uint16_t kBase = 0x3f8;
constexpr uint16_t kData = kBase + 0;             // RBR (read) / THR (write)
constexpr uint16_t kInterruptEnable = kBase + 1;  // IER
constexpr uint16_t kInterruptId = kBase + 2;      // IIR (read)
constexpr uint16_t kFifoControl = kBase + 2;      // FCR (write)
constexpr uint16_t kLineControl = kBase + 3;      // LCR
constexpr uint16_t kModemControl = kBase + 4;     // MCR
constexpr uint16_t kLineStatus = kBase + 5;       // LSR
constexpr uint16_t kScratch = kBase + 7;

constexpr uint8_t kDataReady = 0x01;              // LSR: a received byte is waiting
constexpr uint8_t kTransmitHoldingEmpty = 0x20;   // LSR: room for a byte to send

constexpr uint8_t kLine8N1 = 0x03;                // LCR: 8 data bits, no parity, 1 stop bit, DLAB off
constexpr uint8_t kFifoEnable = 0x01;             // FCR: FIFOs on, trigger level 1, nothing cleared
constexpr uint8_t kDtrRtsOut2 = 0x0b;             // MCR
constexpr uint8_t kReceivedDataInterrupt = 0x01;  // IER

// Bounds on the loops, so a UART that stops answering cannot hold the driver forever (it would
// miss its heartbeats and be restarted into the same loop).
constexpr uint32_t kMaxReceive = 4 * serial::kInputBytes;
constexpr uint32_t kMaxPolls = 100000;  // ~100 ms of port reads; one byte takes 87 us at 115200 baud.

using port_io::inb;
using port_io::outb;

/// Sends one byte once the transmitter has room; false if it never had.
bool put(char c)
{
    for (uint32_t i = 0; i < kMaxPolls; ++i) {
        if (inb(kLineStatus) & kTransmitHoldingEmpty) {
            outb(kData, static_cast<uint8_t>(c));
            return true;
        }
        asm volatile("pause");
    }
    return false;
}

} // namespace

bool present()
{
    outb(kScratch, 0x5a);
    if (inb(kScratch) != 0x5a) return false;
    outb(kScratch, 0xa5);
    return inb(kScratch) == 0xa5;
}

void configure()
{
    outb(kInterruptEnable, 0);        // Quiet while we change things.
    outb(kLineControl, kLine8N1);     // The divisor stays as the kernel set it (see uart.hpp).
    // An interrupt for every byte: the input is typed, and at one byte per interrupt the FIFO
    // has 15 bytes of slack before an overrun while the driver is being scheduled. Neither FIFO
    // is cleared: the transmit FIFO may hold a kernel log byte, the receive FIFO input typed
    // while the driver was down.
    outb(kFifoControl, kFifoEnable);
    outb(kModemControl, kDtrRtsOut2);
    // Enabled last: if bytes are already waiting, this raises the interrupt (a fresh edge).
    outb(kInterruptEnable, kReceivedDataInterrupt);
}

uint8_t interrupt_id() { return inb(kInterruptId); }

uint32_t receive(serial::InputBuffer& input, uint64_t& dropped)
{
    uint32_t n = 0;
    // Until LSR says the FIFO is empty: only then does the UART lower its interrupt line, and the
    // PIC (edge-triggered) sees the next byte as a new interrupt.
    while (n < kMaxReceive && (inb(kLineStatus) & kDataReady)) {
        char c = static_cast<char>(inb(kData));
        if (!input.push(c)) ++dropped;
        ++n;
    }
    return n;
}

uint32_t write(const char* text, uint32_t length)
{
    for (uint32_t i = 0; i < length; ++i) {
        if (text[i] == '\n' && !put('\r')) return i;
        if (!put(text[i])) return i;
    }
    return length;
}

} // namespace uart
