/// \file enumerate.cpp
/// \brief Finding every PCI function by brute force, and decoding and sizing its BARs.
#include "bar.hpp"
#include "pci.hpp"
#include "print.hpp"

namespace pci {

namespace {

using protocol::pci::Bar;
using protocol::pci::BarKind;
using protocol::pci::kBars;

constexpr uint32_t kCommand = 0x04;
constexpr uint32_t kDecodeBits = 0x3;  // command register: I/O space (0) and memory space (1) enable
constexpr uint32_t kFirstBar = 0x10;

/// Reads a BAR register and the mask the device reports for it (all ones written, read back,
/// the original written again).
void probe_register(Address a, uint32_t offset, uint32_t& original, uint32_t& probed)
{
    original = config_read(a, offset);
    config_write(a, offset, 0xffffffffu);
    probed = config_read(a, offset);
    config_write(a, offset, original);
}

/// Sizes every BAR of `d` with the probe.
void probe_bars(Address a, Device& d, unsigned count)
{
    // Decoding goes off while a BAR holds all ones, or the device would answer at whatever
    // address that spells, on top of RAM or another device. Only the low half of the dword is
    // written: the status register above it has write-one-to-clear bits, and zeros leave it be.
    uint32_t command = config_read(a, kCommand) & 0xffff;
    // Not for a host bridge, though: switching off its memory decoding can cut the CPU off from
    // RAM (Linux keeps "mmio_always_on" for them for the same reason).
    bool host_bridge = d.class_code == 0x06 && d.subclass == 0x00;
    if (!host_bridge) config_write(a, kCommand, command & ~kDecodeBits);
    for (unsigned i = 0; i < count; ++i) {
        uint32_t original = 0, probed = 0;
        probe_register(a, kFirstBar + 4 * i, original, probed);
        if (is_64bit(original) && i + 1 < count) {
            uint32_t high = 0, high_probed = 0;
            probe_register(a, kFirstBar + 4 * (i + 1), high, high_probed);
            d.bars[i] = decode_bar(original, probed, high, high_probed);
            ++i;  // The next register is this BAR's upper half: it stays None.
        } else {
            d.bars[i] = decode_bar(original, probed);
        }
    }
    if (!host_bridge) config_write(a, kCommand, command);
}

/// Takes saved sizes instead of probing: a restarted driver must not switch off decoding under
/// devices whose drivers are using them. The kind and base are read again (no side effects).
void decode_with_sizes(Address a, Device& d, unsigned count, const uint64_t (&sizes)[kBars])
{
    for (unsigned i = 0; i < count; ++i) {
        uint32_t original = config_read(a, kFirstBar + 4 * i);
        uint32_t high = is_64bit(original) && i + 1 < count ? config_read(a, kFirstBar + 4 * (i + 1)) : 0;
        // A mask that gives back the saved size: decode_bar then fills in kind, base and flags.
        uint64_t mask = sizes[i] ? ~(sizes[i] - 1) : 0;
        d.bars[i] = decode_bar(original, static_cast<uint32_t>(mask), high, static_cast<uint32_t>(mask >> 32));
        if (d.bars[i].kind == BarKind::Memory64) ++i;
    }
}

void add_device(Address a, bool (*known_sizes)(Address, uint64_t (&)[kBars]))
{
    if (g_state.count == kMaxDevices) {
        ++g_state.dropped;
        return;
    }
    Device& d = g_state.devices[g_state.count++];
    d = Device{};
    uint32_t id = config_read(a, 0x00);
    uint32_t class_reg = config_read(a, 0x08);
    uint32_t header = config_read(a, 0x0c);
    uint32_t interrupt = config_read(a, 0x3c);
    d.address = a;
    d.vendor = id & 0xffff;
    d.device = id >> 16;
    d.class_code = class_reg >> 24;
    d.subclass = (class_reg >> 16) & 0xff;
    d.prog_if = (class_reg >> 8) & 0xff;
    d.header_type = (header >> 16) & 0xff;
    d.irq_line = interrupt & 0xff;
    d.irq_pin = (interrupt >> 8) & 0xff;
    unsigned count = bar_count(d.header_type);
    uint64_t sizes[kBars] = {};
    if (known_sizes && known_sizes(a, sizes)) decode_with_sizes(a, d, count, sizes);
    else probe_bars(a, d, count);
}

bool present(Address a) { return (config_read(a, 0x00) & 0xffff) != 0xffff; }

} // namespace

void enumerate(bool (*known_sizes)(Address, uint64_t (&)[kBars]))
{
    g_state.count = 0;
    g_state.dropped = 0;
    // Every bus, device and function, by brute force: nothing to get wrong about bridges, and
    // 8,192 reads of an absent function's vendor ID (0xffff) are quick.
    for (unsigned bus = 0; bus < 256; ++bus) {
        for (uint8_t device = 0; device < 32; ++device) {
            Address a{static_cast<uint8_t>(bus), device, 0, 0};
            if (!present(a)) continue;
            add_device(a, known_sizes);
            // Bit 7 of the header type: functions 1..7 may exist too.
            bool multi = (config_read(a, 0x0c) >> 16) & 0x80;
            for (uint8_t fn = 1; multi && fn < 8; ++fn) {
                Address f{static_cast<uint8_t>(bus), device, fn, 0};
                if (present(f)) add_device(f, known_sizes);
            }
        }
    }
}

void print_device(const Device& d)
{
    const Address& a = d.address;
    if (d.irq_pin)
        print("pci: %02x:%02x.%x %04x:%04x class %02x.%02x.%02x, irq %u (pin %c)\n", a.bus, a.device, a.function,
              d.vendor, d.device, d.class_code, d.subclass, d.prog_if, d.irq_line, 'A' + d.irq_pin - 1);
    else
        print("pci: %02x:%02x.%x %04x:%04x class %02x.%02x.%02x, no interrupt\n", a.bus, a.device, a.function,
              d.vendor, d.device, d.class_code, d.subclass, d.prog_if);
    for (unsigned i = 0; i < kBars; ++i) {
        const Bar& b = d.bars[i];
        if (b.kind == BarKind::None) continue;
        print("pci: %02x:%02x.%x BAR%u %s 0x%lx, size 0x%lx%s\n", a.bus, a.device, a.function, i,
              protocol::pci::bar_kind_name(b.kind), b.base, b.size, b.prefetchable ? ", prefetchable" : "");
    }
}

} // namespace pci
