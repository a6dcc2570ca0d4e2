/// \file busmaster.cpp
/// \brief Bus-master IDE for the primary channel: BAR4 and Bus Master Enable through the PCI driver, and the checked descriptor table of each transfer.
#include "busmaster.hpp"
#include "buffer.hpp"
#include "ports.hpp"
#include "prd.hpp"
#include "protocols/block.hpp"
#include "protocols/pci.hpp"
#include "sys.hpp"

namespace ata::busmaster {

namespace {

using io::inb;
using io::outb;
using io::outl;

// Registers of the primary channel, as offsets from BAR4.
constexpr uint16_t kCommand = 0;
constexpr uint16_t kStatus = 2;
constexpr uint16_t kTableAddress = 4;
constexpr uint16_t kChannelPorts = 8;

constexpr uint8_t kStart = 0x01;
constexpr uint8_t kToMemory = 0x08;       // Direction: the device writes memory (a disk read).
constexpr uint8_t kDriveDmaNotes = 0x60;  // Status bits 5 and 6: kept as they are.

// The PCI command register and the two bits we need in it.
constexpr uint32_t kPciCommand = 0x04;
constexpr uint32_t kIoSpaceEnable = 1u << 0;
constexpr uint32_t kBusMasterEnable = 1u << 2;

uint16_t g_base = 0;  ///< BAR4's first port; 0 until setup() succeeds.

/// The port I/O helpers do not tell the compiler that the device reads or writes memory. This
/// does: stores before it (the descriptor table, a write's sectors) are made before the ports
/// are touched, and loads after it (a read's sectors) are not taken from before the transfer.
inline void memory_barrier() { asm volatile("" ::: "memory"); }

bool holds(abi::CapSlot slot, abi::ObjectType type)
{
    abi::CapInfo info{};
    return slot != abi::kNullSlot && sys::cap_identify(slot, &info) == 0 && info.type == type;
}

} // namespace

abi::Error setup(abi::CapSlot bar4, abi::CapSlot config, const char* location, const char*& why)
{
    using namespace protocol::pci;
    g_base = 0;
    // (1) The resources of `pci=8086:7010` in services.conf, and the device's location.
    Address where{};
    if (!location || !parse_address(location, where)) {
        why = "services.conf gives ata no pci=";
        return abi::Error::NotFound;
    }
    if (!holds(bar4, abi::ObjectType::IoPortRange) || !holds(config, abi::ObjectType::Endpoint)) {
        why = "no capability for BAR4 or the configuration space";
        return abi::Error::NotFound;
    }
    // (2) Where BAR4 is, as the PCI driver decoded it: 16 ports, the primary channel's first.
    Client pci(config);
    Device device{};
    if (abi::Error e = pci.find(where, device); e != abi::Error::None) {
        why = "the PCI driver does not describe the controller";
        return e;
    }
    const Bar& bar = device.bars[4];
    if (bar.kind != BarKind::Io || bar.size < kChannelPorts || bar.base == 0 || bar.base > 0x10000 - kChannelPorts) {
        why = "BAR4 is not a bus-master I/O block";
        return abi::Error::NotFound;
    }
    g_base = static_cast<uint16_t>(bar.base);
    // (3) A previous instance may have died with a transfer running: stop it before anything
    // else (the channel reset in probe() then ends the drive's side of it).
    (void)stop();
    // (4) Bus mastering on. The upper half of the register is the status, whose error bits
    // clear when written with 1s: only the command half is written back.
    uint32_t command = 0;
    abi::Error e = pci.read(where, kPciCommand, command);
    if (e == abi::Error::None)
        e = pci.write(where, kPciCommand, (command & 0xffff) | kIoSpaceEnable | kBusMasterEnable);
    if (e == abi::Error::None) e = pci.read(where, kPciCommand, command);
    if (e == abi::Error::None && !(command & kBusMasterEnable)) e = abi::Error::InsufficientRights;
    if (e != abi::Error::None) {
        why = "Bus Master Enable could not be set";
        g_base = 0;
        return e;
    }
    return abi::Error::None;
}

bool available() { return g_base != 0; }

uint16_t base() { return g_base; }

// [ata-dma-prepare]
abi::Error prepare(uint32_t bytes, bool to_memory)
{
    if (!available()) return protocol::block::kIoError;
    // (1a) Where the buffer and the table are, asked now. The driver keeps no physical address
    // of its own: RS's fault injection makes wild stores into .data and .bss, there is no IOMMU,
    // and a descriptor with a wrong address would have the controller write a disk's sectors
    // over the kernel or another process. An address fetched from the kernel and checked right
    // here cannot have been damaged in between.
    buffer::Physical at{};
    if (abi::Error e = buffer::physical(at); e != abi::Error::None) return e;
    auto* table = static_cast<prd::Entry*>(buffer::prd_page());
    if (!table) return protocol::block::kIoError;
    // (1b) The descriptors, built in the page the controller will read them from.
    uint32_t n = prd::build(at.buffer, bytes, table);
    // (1c) The check, separate from the building: every entry inside the buffer, below 4 GiB,
    // within one 64 KiB block, together exactly `bytes`. A table that fails it (a bug, or a
    // fault injected into this code) is never shown to the controller.
    if (n == 0 || bytes > buffer::kBufferBytes || !prd::inside(table, n, bytes, at.buffer, buffer::kBufferBytes))
        return protocol::block::kIoError;
    // The table itself: dword-aligned and below 4 GiB (a page of its own never crosses 64 KiB).
    if ((at.prd & 3) || at.prd > prd::kAddressLimit - buffer::kPrdBytes) return protocol::block::kIoError;
    memory_barrier();
    // (1d) The controller: stopped (the direction may not change while it runs), the table's
    // address, the direction, then the interrupt and error bits of the last transfer cleared.
    outb(g_base + kCommand, 0);
    outl(g_base + kTableAddress, static_cast<uint32_t>(at.prd));
    outb(g_base + kCommand, to_memory ? kToMemory : 0);
    outb(g_base + kStatus, static_cast<uint8_t>((inb(g_base + kStatus) & kDriveDmaNotes) | kStatusError | kStatusInterrupt));
    return abi::Error::None;
}
// [ata-dma-prepare]

void start()
{
    memory_barrier();
    outb(g_base + kCommand, static_cast<uint8_t>(inb(g_base + kCommand) | kStart));
}

uint8_t status() { return inb(g_base + kStatus); }

uint8_t stop()
{
    outb(g_base + kCommand, 0);
    uint8_t s = inb(g_base + kStatus);
    outb(g_base + kStatus, static_cast<uint8_t>((s & kDriveDmaNotes) | kStatusError | kStatusInterrupt));
    memory_barrier();
    return s;
}

} // namespace ata::busmaster
