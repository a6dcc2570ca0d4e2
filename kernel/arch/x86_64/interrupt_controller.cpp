/// \file interrupt_controller.cpp
/// \brief 8259 PIC remapping, the local APIC and its timer, and the PIT fallback.
#include "arch/x86_64/interrupt_controller.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/idt.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "mm/memory.hpp"

namespace interrupt_controller {

namespace {

constexpr uint16_t kPic1Command = 0x20, kPic1Data = 0x21;
constexpr uint16_t kPic2Command = 0xa0, kPic2Data = 0xa1;
constexpr uint8_t kPicEoi = 0x20;

// Local APIC registers (byte offsets into its 4 KiB MMIO page).
constexpr uint32_t kLapicEoi = 0xb0;
constexpr uint32_t kLapicSpurious = 0xf0;
constexpr uint32_t kLapicLvtTimer = 0x320;
constexpr uint32_t kLapicTimerInitial = 0x380;
constexpr uint32_t kLapicTimerCurrent = 0x390;
constexpr uint32_t kLapicTimerDivide = 0x3e0;
constexpr uint32_t kLvtMasked = 1u << 16;
constexpr uint32_t kLvtPeriodic = 1u << 17;

volatile uint32_t* g_lapic = nullptr;
bool g_using_lapic = false;
uint16_t g_pic_mask = 0xffff;

void lapic_write(uint32_t reg, uint32_t value) { g_lapic[reg / 4] = value; }
uint32_t lapic_read(uint32_t reg) { return g_lapic[reg / 4]; }

void pic_apply_mask()
{
    cpu::outb(kPic1Data, g_pic_mask & 0xff);
    cpu::outb(kPic2Data, g_pic_mask >> 8);
}

void pic_remap()
{
    // ICW1: initialise, expect ICW4. ICW2: vector offsets. ICW3: cascade on IRQ 2. ICW4: 8086 mode.
    cpu::outb(kPic1Command, 0x11);
    cpu::outb(kPic2Command, 0x11);
    cpu::outb(kPic1Data, idt::kIrqBase);
    cpu::outb(kPic2Data, idt::kIrqBase + 8);
    cpu::outb(kPic1Data, 0x04);
    cpu::outb(kPic2Data, 0x02);
    cpu::outb(kPic1Data, 0x01);
    cpu::outb(kPic2Data, 0x01);
    g_pic_mask = 0xffff & ~(1u << 2);  // Everything masked but the cascade.
    pic_apply_mask();
}

void start_lapic_timer(uint32_t hz)
{
    uint64_t base = cpu::rdmsr(cpu::kMsrApicBase) & 0xffffff000ull;
    auto mapped = mm::map_mmio(base, 4096);
    if (mapped.is_error()) panic("cannot map the local APIC");
    g_lapic = static_cast<volatile uint32_t*>(mapped.value());
    cpu::wrmsr(cpu::kMsrApicBase, cpu::rdmsr(cpu::kMsrApicBase) | (1u << 11));  // Global enable.
    lapic_write(kLapicSpurious, 0x100 | idt::kSpuriousVector);                   // Software enable.

    // Count how far the timer runs down in 10 ms of PIT time, at divide-by-16.
    lapic_write(kLapicTimerDivide, 0x3);
    lapic_write(kLapicLvtTimer, kLvtMasked);
    lapic_write(kLapicTimerInitial, 0xffffffff);
    clock::pit_wait_us(10000);
    uint32_t per_10ms = 0xffffffff - lapic_read(kLapicTimerCurrent);
    uint32_t initial = per_10ms * 100 / hz;
    if (initial == 0) initial = 1;

    lapic_write(kLapicLvtTimer, kLvtPeriodic | idt::kTimerVector);
    lapic_write(kLapicTimerInitial, initial);
    klog::info("irq", "local APIC at 0x%lx, timer %u counts per tick", base, initial);
}

void start_pit_timer(uint32_t hz)
{
    uint32_t divisor = 1193182 / hz;
    cpu::outb(0x43, 0x34);  // Channel 0, low then high byte, mode 2 (rate generator).
    cpu::outb(0x40, divisor & 0xff);
    cpu::outb(0x40, divisor >> 8);
    g_pic_mask &= ~1u;      // Unmask IRQ 0.
    pic_apply_mask();
    klog::info("irq", "no local APIC: PIT at %u Hz on IRQ 0", hz);
}

} // namespace

void init(uint32_t hz)
{
    pic_remap();
    bool has_apic = cpu::cpuid(1).edx & (1u << 9);
    g_using_lapic = has_apic;
    if (has_apic) start_lapic_timer(hz);
    else start_pit_timer(hz);
}

void end_of_interrupt(uint64_t vector)
{
    if (g_using_lapic && vector == idt::kTimerVector) {
        lapic_write(kLapicEoi, 0);
        return;
    }
    if (vector >= idt::kIrqBase + 8 && vector < idt::kIrqBase + 16) cpu::outb(kPic2Command, kPicEoi);
    if (vector >= idt::kIrqBase && vector < idt::kIrqBase + 16) cpu::outb(kPic1Command, kPicEoi);
}

bool is_spurious(uint64_t vector)
{
    // A spurious IRQ 7/15 shows up with its bit clear in the in-service register.
    if (vector == idt::kIrqBase + 7) {
        cpu::outb(kPic1Command, 0x0b);
        return !(cpu::inb(kPic1Command) & 0x80);
    }
    if (vector == idt::kIrqBase + 15) {
        cpu::outb(kPic2Command, 0x0b);
        if (!(cpu::inb(kPic2Command) & 0x80)) {
            cpu::outb(kPic1Command, kPicEoi);  // The master did see the cascade.
            return true;
        }
    }
    return false;
}

void mask(uint64_t vector)
{
    if (vector < idt::kIrqBase || vector >= idt::kIrqBase + 16) return;
    g_pic_mask |= 1u << (vector - idt::kIrqBase);
    pic_apply_mask();
}

void unmask(uint64_t vector)
{
    if (vector < idt::kIrqBase || vector >= idt::kIrqBase + 16) return;
    if (vector == idt::kIrqBase + 0 || vector == idt::kIrqBase + 2) return;
    g_pic_mask &= ~(1u << (vector - idt::kIrqBase));
    // A line on the slave PIC needs the cascade open on the master, which it always is.
    pic_apply_mask();
}

const char* timer_name() { return g_using_lapic ? "lapic" : "pit"; }

} // namespace interrupt_controller
