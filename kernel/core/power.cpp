/// \file power.cpp
/// \brief Tries each emulator's power-off port in turn, then halts.
#include "core/power.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/serial.hpp"
#include "core/log.hpp"

namespace power {

void off(uint8_t code)
{
    cpu::disable_interrupts();
    // Printed at every log level: test harnesses look for this line.
    klog::rawf("power-off, code %u\n", code);
    // Unsent bytes would be lost when the emulator stops.
    serial::drain();
    // (1) QEMU's isa-debug-exit device (iobase 0xf4): exits with (code << 1) | 1.
    cpu::outb(0xf4, code);
    // (2) Bochs: writing "Shutdown" to port 0x8900 powers off.
    for (const char* c = "Shutdown"; *c; ++c) cpu::outb(0x8900, static_cast<uint8_t>(*c));
    // (3) QEMU's PIIX4 ACPI power-off, when no debug-exit device is attached.
    cpu::outw(0x604, 0x2000);
    cpu::halt_forever();
}

} // namespace power
