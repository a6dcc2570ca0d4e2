/// \file pci.hpp
/// \brief The PCI driver's protocol: its device list with decoded BARs, configuration-space access by badge, and the report it gives RS.
///
/// The PCI driver (drivers/pci) is the only process that holds the configuration ports
/// 0xcf8..0xcff. It runs under the reincarnation server (service `pci` in services.conf), and
/// everyone else reaches configuration space by calling it. What a caller may do depends on the
/// badge of its capability to the driver's endpoint:
///
/// | badge                                   | who has it                         | may                                   |
/// |-----------------------------------------|------------------------------------|---------------------------------------|
/// | device_badge(a): kDeviceBadgeBase + a   | the driver RS gave device `a` (`pci=`) | list devices; read all of `a`'s configuration space; write `a`'s command register (0x04) and 0x40..0xff |
/// | any other                               | `uses=pci`, RS's `lookup`           | list devices; read any configuration register |
///
/// Nobody writes another device's configuration, or any device's BARs or interrupt line: those
/// describe the resources RS handed out, and a driver that moved its BAR would point its device
/// at addresses RS never granted. Refusals answer `InsufficientRights`.
///
/// The driver also tells RS what it found, so RS can hand a device's BARs and interrupt line to
/// the driver that services.conf names with `pci=` (see kReport and docs/capabilities.md).
#pragma once

#include "ipc.hpp"
#include <stdint.h>

namespace protocol::pci {

enum Label : uint32_t {
    kDevice = 1,  ///< DeviceRequest -> DeviceReply: the index-th device found
    kRead = 2,    ///< ConfigRequest -> ConfigReply: one aligned 32-bit configuration register
    kWrite = 3,   ///< ConfigRequest (with value) -> ConfigReply
    /// PCI driver -> RS (a call on its RS capability): Report -> ReportReply, one per device.
    kReport = 0x50,
};

/// Bus, device and function, as the configuration-address register wants them.
struct Address {
    uint8_t bus, device, function, reserved;
    /// The 16-bit bus/device/function number (bus << 8 | device << 3 | function).
    constexpr uint16_t bdf() const { return static_cast<uint16_t>(bus << 8 | device << 3 | function); }
    constexpr bool operator==(const Address& o) const { return bdf() == o.bdf(); }
};

/// What a base address register decodes.
enum class BarKind : uint8_t {
    None = 0,      ///< Not implemented (or the upper half of the 64-bit BAR before it).
    Io = 1,        ///< I/O ports: `base` is the first port, `size` the number of ports.
    Memory32 = 2,  ///< Memory below 4 GiB: `base` is a physical address, `size` bytes.
    Memory64 = 3,  ///< Memory anywhere; it uses this BAR register and the next.
};

inline const char* bar_kind_name(BarKind k)
{
    switch (k) {
    case BarKind::None: return "none";
    case BarKind::Io: return "io";
    case BarKind::Memory32: return "memory32";
    case BarKind::Memory64: return "memory64";
    }
    return "?";
}

/// One decoded BAR. The size comes from the standard probe (write all ones with the device's
/// decoding off, read back the writable bits, restore).
struct Bar {
    uint64_t base;
    uint64_t size;       ///< 0: not implemented.
    BarKind kind;
    uint8_t prefetchable;
    uint8_t reserved[6];
};
static_assert(sizeof(Bar) == 24);

inline constexpr unsigned kBars = 6;

/// Everything the driver reports about one function.
struct Device {
    Address address;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, header_type;
    uint8_t irq_line;  ///< The interrupt line register (the IRQ the firmware routed INTx to).
    uint8_t irq_pin;   ///< 0: no interrupt; 1..4: INTA#..INTD#.
    uint16_t reserved;
    Bar bars[kBars];
};
static_assert(sizeof(Device) == 160);

/// Whether the device raises an interrupt on a legacy IRQ line a driver can be given.
inline bool has_irq(const Device& d) { return d.irq_pin != 0 && d.irq_line > 0 && d.irq_line < 16 && d.irq_line != 2; }

struct DeviceRequest {
    uint64_t index;
};
static_assert(sizeof(DeviceRequest) == 8);

struct DeviceReply {
    Device device;
    uint32_t status;  ///< 0, or an abi::Error number (NotFound past the last device).
    uint32_t reserved;
};
static_assert(sizeof(DeviceReply) == 168);

struct ConfigRequest {
    Address address;
    uint32_t offset;  ///< Multiple of 4, below 256.
    uint32_t value;   ///< For kWrite.
    uint32_t reserved;
};
static_assert(sizeof(ConfigRequest) == 16);

struct ConfigReply {
    uint32_t value;
    uint32_t status;  ///< 0, or an abi::Error number.
};
static_assert(sizeof(ConfigReply) == 8);

/// The PCI driver's report of device `index` of `count` to RS (count 0: no devices at all, and
/// `device` is empty). RS keeps the list; when index + 1 == count it is complete, and RS starts
/// the services waiting for a device.
struct Report {
    uint32_t index;
    uint32_t count;
    Device device;
};
static_assert(sizeof(Report) == 168);

struct ReportReply {
    uint32_t status;  ///< 0, or InsufficientRights if the caller is not the `pci` service.
    uint32_t reserved;
};
static_assert(sizeof(ReportReply) == 8);

/// Badges of capabilities bound to one device: kDeviceBadgeBase + Address::bdf(). Far above the
/// badges RS uses for services and lookups.
inline constexpr uint64_t kDeviceBadgeBase = 0x5043490000000000ull;  // "PCI" in the top bytes
inline constexpr uint64_t device_badge(Address a) { return kDeviceBadgeBase + a.bdf(); }

/// Where RS puts a device's capabilities for `pci=` / `pci_class=`: kResourceSlots consecutive
/// resource slots, starting at the key's place among the service's resources (slot
/// protocol::rs::kSlotFirstResource when it is the first). An empty slot means "none".
inline constexpr unsigned kSlotBar0 = 0;     ///< + n: BAR n (IoPortRange or MmioRange), n < 6
inline constexpr unsigned kSlotIrq = 6;      ///< the IrqLine the device interrupts on
inline constexpr unsigned kSlotConfig = 7;   ///< the PCI driver's endpoint, badged for this device
inline constexpr unsigned kResourceSlots = 8;

/// Parses "BB:DD.F" (hexadecimal, as RS passes it in `pci=BB:DD.F`); false if malformed.
inline bool parse_address(const char* text, Address& out)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    int b1 = hex(text[0]), b0 = b1 < 0 ? -1 : hex(text[1]);
    if (b0 < 0 || text[2] != ':') return false;
    int d1 = hex(text[3]), d0 = d1 < 0 ? -1 : hex(text[4]);
    if (d0 < 0 || text[5] != '.') return false;
    int f = hex(text[6]);
    if (f < 0 || f > 7 || text[7] != '\0' || d1 * 16 + d0 >= 32) return false;
    out = Address{static_cast<uint8_t>(b1 * 16 + b0), static_cast<uint8_t>(d1 * 16 + d0), static_cast<uint8_t>(f), 0};
    return true;
}

/// A typed client: one method per request.
class Client {
public:
    explicit Client(abi::CapSlot endpoint) : m_endpoint(endpoint) {}

    /// The index-th device, or NotFound past the last one.
    abi::Error device(uint64_t index, Device& out) const
    {
        ipc::Message m;
        ipc::pack(m, kDevice, DeviceRequest{index});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        DeviceReply reply = ipc::unpack<DeviceReply>(r.message);
        out = reply.device;
        return static_cast<abi::Error>(reply.status);
    }

    /// The device at `a`, or NotFound.
    abi::Error find(Address a, Device& out) const
    {
        for (uint64_t i = 0;; ++i) {
            abi::Error e = device(i, out);
            if (e != abi::Error::None || out.address == a) return e;
        }
    }

    abi::Error read(Address a, uint32_t offset, uint32_t& value) const
    {
        ipc::Message m;
        ipc::pack(m, kRead, ConfigRequest{a, offset, 0, 0});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        ConfigReply reply = ipc::unpack<ConfigReply>(r.message);
        value = reply.value;
        return static_cast<abi::Error>(reply.status);
    }

    abi::Error write(Address a, uint32_t offset, uint32_t value) const
    {
        ipc::Message m;
        ipc::pack(m, kWrite, ConfigRequest{a, offset, value, 0});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        return static_cast<abi::Error>(ipc::unpack<ConfigReply>(r.message).status);
    }

private:
    abi::CapSlot m_endpoint;
};

} // namespace protocol::pci
