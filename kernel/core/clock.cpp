/// \file clock.cpp
/// \brief Calibrates the TSC with PIT channel 2 and converts TSC ticks to nanoseconds.
#include "core/clock.hpp"
#include "arch/x86_64/cpu.hpp"

namespace clock {

namespace {
uint64_t g_tsc_per_ms = 0;
uint64_t g_tsc_at_boot = 0;

constexpr uint32_t kPitHz = 1193182;
constexpr uint16_t kPitChannel2 = 0x42;
constexpr uint16_t kPitCommand = 0x43;
constexpr uint16_t kSpeakerPort = 0x61;  // Bit 0 gates channel 2, bit 5 reads its output.
} // namespace

void pit_wait_us(uint32_t us)
{
    uint32_t count = static_cast<uint32_t>((uint64_t(kPitHz) * us) / 1000000);
    if (count == 0) count = 1;
    if (count > 0xffff) count = 0xffff;
    // Gate channel 2 off (speaker off too), program mode 0 (one-shot), then gate it on.
    uint8_t gate = cpu::inb(kSpeakerPort);
    cpu::outb(kSpeakerPort, (gate & ~0x03) | 0x00);
    cpu::outb(kPitCommand, 0xb0);  // Channel 2, low then high byte, mode 0, binary.
    cpu::outb(kPitChannel2, count & 0xff);
    cpu::outb(kPitChannel2, count >> 8);
    cpu::outb(kSpeakerPort, (gate & ~0x02) | 0x01);
    // The output bit goes high when the count reaches zero.
    while (!(cpu::inb(kSpeakerPort) & 0x20)) cpu::pause();
    cpu::outb(kSpeakerPort, gate & ~0x03);
}

void calibrate()
{
    uint64_t start = cpu::rdtsc();
    pit_wait_us(10000);
    uint64_t elapsed = cpu::rdtsc() - start;
    g_tsc_per_ms = elapsed / 10;
    if (g_tsc_per_ms == 0) g_tsc_per_ms = 1;
    g_tsc_at_boot = start;
}

uint64_t now_ns()
{
    if (g_tsc_per_ms == 0) return 0;
    uint64_t ticks = cpu::rdtsc() - g_tsc_at_boot;
    // Split to avoid overflow: whole milliseconds, then the remainder.
    return (ticks / g_tsc_per_ms) * 1000000 + (ticks % g_tsc_per_ms) * 1000000 / g_tsc_per_ms;
}

uint64_t tsc_per_ms() { return g_tsc_per_ms; }

} // namespace clock
