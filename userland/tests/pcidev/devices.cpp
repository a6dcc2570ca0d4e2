/// \file devices.cpp
/// \brief The device checks of `pcidev`: registers read through granted BARs, and an interrupt through a granted IRQ line.
#include "devices.hpp"
#include "lib/port_io.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace pcidev {

namespace {

constexpr uint64_t kIrqBit = 1ull << 0;
constexpr uint64_t kTimerBit = 1ull << 1;

uint32_t read32(volatile uint8_t* base, uint32_t offset) { return *reinterpret_cast<volatile uint32_t*>(base + offset); }
void write32(volatile uint8_t* base, uint32_t offset, uint32_t v) { *reinterpret_cast<volatile uint32_t*>(base + offset) = v; }
uint16_t read16(volatile uint8_t* base, uint32_t offset) { return *reinterpret_cast<volatile uint16_t*>(base + offset); }

unsigned verdict(bool ok) { return ok ? 0 : 1; }

/// Waits for the IRQ bound to kIrqBit, for at most `ns`; answers RS's pings meanwhile.
bool wait_for_irq(uint64_t ns)
{
    using namespace protocol::rs;
    int64_t timer = sys::cap_mint(kSlotNotification, 0, abi::rights::kWrite, kTimerBit);
    if (timer <= 0) return false;
    (void)sys::timer_arm(static_cast<abi::CapSlot>(timer), ns, 0);
    bool irq = false;
    for (;;) {
        sys::raw::IpcRegisters r = sys::notify_wait(kSlotNotification);
        if (r.status < 0) break;
        if (r.badge & kPingBit) (void)sys::notify_signal(kSlotHeartbeat);
        if (r.badge & kIrqBit) irq = true;
        if (irq || (r.badge & kTimerBit)) break;
    }
    (void)sys::timer_arm(static_cast<abi::CapSlot>(timer), 0, 0);
    (void)sys::cap_delete(static_cast<abi::CapSlot>(timer));
    return irq;
}

} // namespace

volatile uint8_t* map_bar(const Context& c, unsigned bar)
{
    static uint64_t next = 0x200000000ull;  // Far from the program, its stack and its heap.
    const protocol::pci::Bar& b = c.device.bars[bar];
    if (!c.grant.bar(bar) || b.size == 0) {
        print("pcidev: %s: no capability for BAR%u\n", c.label, bar);
        return nullptr;
    }
    uint64_t at = next;
    next += (b.size + 0x1fffff) & ~0x1fffffull;
    int64_t r = sys::mmio_map(c.grant.bar(bar), at);
    if (r < 0) {
        print("pcidev: %s: mmio_map of BAR%u: %s\n", c.label, bar, abi::error_name(sys::error_of(r)));
        return nullptr;
    }
    // The capability covers whole pages; the BAR starts at its offset in the first one.
    return reinterpret_cast<volatile uint8_t*>(at + (b.base & 0xfff));
}

unsigned check_e1000(const Context& c)
{
    // 82540EM registers (Intel's 8254x manual): STATUS 0x8, ICR 0xc0, ICS 0xc8, IMS 0xd0,
    // IMC 0xd8, RAL0/RAH0 0x5400/0x5404. The I/O BAR's IOADDR/IODATA window is not used:
    // QEMU's e1000 reads it as zeros (the IDE check reads real registers through an I/O BAR).
    volatile uint8_t* regs = map_bar(c, 0);
    if (!regs) return 1;
    unsigned failed = 0;
    uint32_t status = read32(regs, 0x8);
    print("pcidev: %s: e1000 STATUS 0x%x: link %s, %s duplex\n", c.label, status, (status & 0x2) ? "up" : "DOWN",
          (status & 0x1) ? "full" : "half");
    failed += verdict(status & 0x2);  // LU: the link is up.

    uint32_t low = read32(regs, 0x5400), high = read32(regs, 0x5404);
    print("pcidev: %s: e1000 MAC %02x:%02x:%02x:%02x:%02x:%02x (receive address 0%s)\n", c.label, low & 0xff,
          (low >> 8) & 0xff, (low >> 16) & 0xff, low >> 24, high & 0xff, (high >> 8) & 0xff,
          (high & 0x80000000u) ? ", valid" : ", NOT VALID");
    failed += verdict(high & 0x80000000u);

    // An interrupt on purpose: unmask TXDW (bit 0) and set it by hand through ICS.
    if (!c.grant.irq()) {
        print("pcidev: %s: no IRQ capability\n", c.label);
        return failed + 1;
    }
    int64_t badged = sys::cap_mint(protocol::rs::kSlotNotification, 0, abi::rights::kWrite, kIrqBit);
    int64_t bound = badged > 0 ? sys::irq_bind(c.grant.irq(), static_cast<abi::CapSlot>(badged)) : badged;
    if (badged > 0) (void)sys::cap_delete(static_cast<abi::CapSlot>(badged));
    if (bound < 0) {
        print("pcidev: %s: irq_bind: %s\n", c.label, abi::error_name(sys::error_of(bound)));
        return failed + 1;
    }
    (void)read32(regs, 0xc0);  // Reading ICR clears whatever was pending.
    write32(regs, 0xd0, 0x1);
    write32(regs, 0xc8, 0x1);
    bool irq = wait_for_irq(1000000000ull);
    uint32_t icr = read32(regs, 0xc0);  // Clears the cause, which lowers the interrupt line.
    write32(regs, 0xd8, 0xffffffffu);
    (void)sys::irq_ack(c.grant.irq());
    print("pcidev: %s: e1000 interrupt on IRQ %u after setting ICS: %s, ICR 0x%x\n", c.label, c.device.irq_line,
          irq ? "arrived" : "NONE within 1 s", icr);
    failed += verdict(irq && (icr & 0x1));
    return failed;
}

unsigned check_std_vga(const Context& c)
{
    // QEMU's standard VGA: BAR2 holds the Bochs display interface's registers at 0x500 + 2 x
    // index; index 0 is the ID (0xb0c0..0xb0c5), index 0xa the video memory in 64 KiB units,
    // which must match the framebuffer BAR0's size.
    volatile uint8_t* regs = map_bar(c, 2);
    if (!regs) return 1;
    uint16_t id = read16(regs, 0x500);
    uint16_t vram = read16(regs, 0x500 + 2 * 0xa);
    uint64_t bar0 = c.device.bars[0].size;
    print("pcidev: %s: Bochs display ID 0x%x, video memory %u KiB (BAR0: %lu KiB)\n", c.label, id, vram * 64u,
          bar0 / 1024);
    return verdict(id >= 0xb0c0 && id <= 0xb0c5 && uint64_t(vram) * 65536 == bar0);
}

unsigned check_ide(const Context& c)
{
    // The PIIX bus-master interface (BAR4, 16 ports): the primary channel's PRD table address
    // at +4 is a plain read/write register (dword-aligned). Written, read back, restored.
    if (!c.grant.bar(4)) {
        print("pcidev: %s: no capability for BAR4\n", c.label);
        return 1;
    }
    uint16_t prd = static_cast<uint16_t>(c.device.bars[4].base + 4);
    uint32_t original = port_io::inl(prd);
    port_io::outl(prd, 0x12345678u);
    uint32_t back = port_io::inl(prd);
    port_io::outl(prd, original);
    print("pcidev: %s: bus-master PRD address register at port 0x%x: wrote 0x12345678, read 0x%x\n", c.label, prd,
          back);
    return verdict(back == 0x12345678u);
}

} // namespace pcidev
