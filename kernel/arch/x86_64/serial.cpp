/// \file serial.cpp
/// \brief Polled output on the 16550 UART at COM1 (I/O port 0x3f8).
#include "arch/x86_64/serial.hpp"
#include "arch/x86_64/cpu.hpp"

namespace serial {

namespace {
constexpr uint16_t kCom1 = 0x3f8;
constexpr uint16_t kData = kCom1 + 0;
constexpr uint16_t kInterruptEnable = kCom1 + 1;
constexpr uint16_t kFifoControl = kCom1 + 2;
constexpr uint16_t kLineControl = kCom1 + 3;
constexpr uint16_t kModemControl = kCom1 + 4;
constexpr uint16_t kLineStatus = kCom1 + 5;
constexpr uint8_t kTransmitHoldingEmpty = 0x20;
constexpr uint8_t kTransmitterEmpty = 0x40;

void put_byte(char c)
{
    // LAB 1 BEGIN SOLUTION
    // LAB 1 STUB: (void)c;
    // Every byte waits for room in the transmit holding register: Bochs drops bytes otherwise.
    while (!(cpu::inb(kLineStatus) & kTransmitHoldingEmpty)) cpu::pause();
    cpu::outb(kData, static_cast<uint8_t>(c));
    // LAB 1 END SOLUTION
}
} // namespace

void init()
{
    // LAB 1 BEGIN SOLUTION
    cpu::outb(kInterruptEnable, 0x00);   // No UART interrupts: the kernel polls.
    cpu::outb(kLineControl, 0x80);       // DLAB on, to set the divisor.
    cpu::outb(kData, 0x01);              // Divisor 1 = 115200 baud (low byte)...
    cpu::outb(kInterruptEnable, 0x00);   // ...and high byte.
    cpu::outb(kLineControl, 0x03);       // 8 data bits, no parity, one stop bit, DLAB off.
    cpu::outb(kFifoControl, 0xc7);       // Enable and clear FIFOs, 14-byte threshold.
    cpu::outb(kModemControl, 0x03);      // DTR and RTS.
    // LAB 1 END SOLUTION
}

void write(const char* text, size_t len)
{
    for (size_t i = 0; i < len; ++i) {
        if (text[i] == '\n') put_byte('\r');
        put_byte(text[i]);
    }
}

void drain()
{
    while (!(cpu::inb(kLineStatus) & kTransmitterEmpty)) cpu::pause();
}

} // namespace serial
