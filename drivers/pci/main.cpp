/// \file main.cpp
/// \brief The PCI driver: enumerates the bus through ports 0xcf8/0xcfc and serves configuration space to its clients.
///
/// The MINIX server skeleton: receive, switch on the label, handle, reply. Slot 3 holds the
/// IoPortRange 0xcf8..0xcff (so `in`/`out` on those ports work here and nowhere else), slot 4 the
/// endpoint clients call.
#include "ipc.hpp"
#include "print.hpp"
#include "protocols/pci.hpp"
#include "sys.hpp"

namespace {

using namespace protocol::pci;

constexpr abi::CapSlot kEndpoint = 4;
constexpr uint16_t kConfigAddress = 0xcf8;
constexpr uint16_t kConfigData = 0xcfc;
constexpr unsigned kMaxDevices = 64;

uint32_t config_read(Address a, uint32_t offset)
{
    uint32_t address = 0x80000000u | (uint32_t(a.bus) << 16) | (uint32_t(a.device) << 11) |
                       (uint32_t(a.function) << 8) | (offset & 0xfc);
    asm volatile("outl %0, %1" ::"a"(address), "Nd"(kConfigAddress));
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(kConfigData));
    return value;
}

void config_write(Address a, uint32_t offset, uint32_t value)
{
    uint32_t address = 0x80000000u | (uint32_t(a.bus) << 16) | (uint32_t(a.device) << 11) |
                       (uint32_t(a.function) << 8) | (offset & 0xfc);
    asm volatile("outl %0, %1" ::"a"(address), "Nd"(kConfigAddress));
    asm volatile("outl %0, %1" ::"a"(value), "Nd"(kConfigData));
}

/// Everything the driver knows: the devices found at start-up.
struct State {
    DeviceReply devices[kMaxDevices];
    unsigned count = 0;
} g_state;

void add_device(Address a)
{
    if (g_state.count == kMaxDevices) return;
    DeviceReply& d = g_state.devices[g_state.count++];
    uint32_t id = config_read(a, 0x00);
    uint32_t class_reg = config_read(a, 0x08);
    d.address = a;
    d.vendor = id & 0xffff;
    d.device = id >> 16;
    d.class_code = class_reg >> 24;
    d.subclass = (class_reg >> 16) & 0xff;
    d.prog_if = (class_reg >> 8) & 0xff;
    d.irq_line = config_read(a, 0x3c) & 0xff;
    for (unsigned i = 0; i < 6; ++i) d.bars[i] = config_read(a, 0x10 + 4 * i);
    d.status = 0;
    print("pci: %02x:%02x.%x %04x:%04x class %02x.%02x irq %u\n", a.bus, a.device, a.function, d.vendor, d.device,
          d.class_code, d.subclass, d.irq_line);
}

/// Brute-force enumeration: every bus, device and (for multi-function devices) function.
void enumerate()
{
    for (unsigned bus = 0; bus < 256; ++bus) {
        for (uint8_t device = 0; device < 32; ++device) {
            Address a{static_cast<uint8_t>(bus), device, 0, 0};
            if ((config_read(a, 0) & 0xffff) == 0xffff) continue;
            add_device(a);
            bool multi = (config_read(a, 0x0c) >> 16) & 0x80;
            for (uint8_t fn = 1; multi && fn < 8; ++fn) {
                Address f{static_cast<uint8_t>(bus), device, fn, 0};
                if ((config_read(f, 0) & 0xffff) != 0xffff) add_device(f);
            }
        }
    }
}

bool valid(const ConfigRequest& r) { return r.address.device < 32 && r.address.function < 8 && r.offset < 256 && r.offset % 4 == 0; }

ipc::Message do_device(const ipc::Message& m)
{
    DeviceRequest req = ipc::unpack<DeviceRequest>(m);
    DeviceReply reply{};
    if (req.index < g_state.count) reply = g_state.devices[req.index];
    else reply.status = static_cast<uint32_t>(abi::Error::NotFound);
    ipc::Message out;
    ipc::pack(out, kDevice, reply);
    return out;
}

ipc::Message do_config(const ipc::Message& m)
{
    ConfigRequest req = ipc::unpack<ConfigRequest>(m);
    ConfigReply reply{};
    if (!valid(req)) reply.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    else if (m.label == kRead) reply.value = config_read(req.address, req.offset);
    else config_write(req.address, req.offset, req.value);
    ipc::Message out;
    ipc::pack(out, m.label, reply);
    return out;
}

ipc::Message do_unknown(const ipc::Message& m)
{
    ipc::Message out;
    ipc::pack(out, m.label, ConfigReply{0, static_cast<uint32_t>(abi::Error::InvalidArgument)});
    return out;
}

} // namespace

int main(int, char**)
{
    enumerate();
    print("pci: %u devices; serving configuration space\n", g_state.count);
    ipc::Result in = ipc::receive(kEndpoint);
    for (;;) {
        if (!in.ok()) {
            in = ipc::receive(kEndpoint);
            continue;
        }
        const ipc::Message& m = in.message;
        ipc::Message reply;
        // A message of the wrong size is answered with an error, never trusted.
        if (m.label == kDevice && m.length == sizeof(DeviceRequest) / 8) reply = do_device(m);
        else if ((m.label == kRead || m.label == kWrite) && m.length == sizeof(ConfigRequest) / 8) reply = do_config(m);
        else reply = do_unknown(m);
        in = ipc::reply_receive(kEndpoint, reply);
    }
}
