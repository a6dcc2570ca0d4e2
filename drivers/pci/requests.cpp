/// \file requests.cpp
/// \brief The PCI driver's requests: the device list, and configuration reads and writes allowed by the caller's badge.
#include "pci.hpp"
#include "service.hpp"

namespace pci {

namespace {

using namespace protocol::pci;

constexpr uint32_t kCommandRegister = 0x04;
constexpr uint32_t kDeviceSpecific = 0x40;  // From here on: capabilities and device registers.

bool well_formed(const ConfigRequest& r)
{
    return r.address.device < 32 && r.address.function < 8 && r.address.reserved == 0 && r.offset < 256 &&
           r.offset % 4 == 0;
}

/// The device a badge is bound to (a driver's capability from `pci=`), if it is one.
bool bound_device(uint64_t badge, Address& out)
{
    if (badge < kDeviceBadgeBase || badge > kDeviceBadgeBase + 0xffff) return false;
    uint16_t bdf = static_cast<uint16_t>(badge - kDeviceBadgeBase);
    out = Address{static_cast<uint8_t>(bdf >> 8), static_cast<uint8_t>((bdf >> 3) & 0x1f), static_cast<uint8_t>(bdf & 7), 0};
    return true;
}

/// Who may do what (the table in protocols/pci.hpp). Reads: anyone, except that a driver bound
/// to one device sees only that device. Writes: only that driver, only its command register and
/// the device-specific registers; never the IDs, BARs or interrupt line RS's grants rest on.
abi::Error allowed(const ipc::Message& m, const ConfigRequest& r)
{
    Address mine{};
    bool bound = bound_device(m.badge, mine);
    if (m.label == kRead) return !bound || r.address == mine ? abi::Error::None : abi::Error::InsufficientRights;
    if (!bound || !(r.address == mine)) return abi::Error::InsufficientRights;
    if (r.offset != kCommandRegister && r.offset < kDeviceSpecific) return abi::Error::InsufficientRights;
    return abi::Error::None;
}

ipc::Message do_device(const ipc::Message& m)
{
    DeviceRequest req = ipc::unpack<DeviceRequest>(m);
    DeviceReply reply{};
    if (req.index < g_state.count) reply.device = g_state.devices[req.index];
    else reply.status = static_cast<uint32_t>(abi::Error::NotFound);
    ipc::Message out;
    ipc::pack(out, kDevice, reply);
    return out;
}

ipc::Message do_config(const ipc::Message& m)
{
    ConfigRequest req = ipc::unpack<ConfigRequest>(m);
    ConfigReply reply{};
    abi::Error e = well_formed(req) ? allowed(m, req) : abi::Error::InvalidArgument;
    if (e != abi::Error::None) reply.status = static_cast<uint32_t>(e);
    else if (m.label == kRead) reply.value = config_read(req.address, req.offset);
    else config_write(req.address, req.offset, req.value);
    ipc::Message out;
    ipc::pack(out, m.label, reply);
    return out;
}

} // namespace

ipc::Message handle_request(const ipc::Message& m)
{
    // A message of the wrong size is answered with an error, never trusted.
    if (m.label == kDevice && m.length == sizeof(DeviceRequest) / 8) return do_device(m);
    if ((m.label == kRead || m.label == kWrite) && m.length == sizeof(ConfigRequest) / 8) return do_config(m);
    ipc::Message out;
    ipc::pack(out, m.label, ConfigReply{0, static_cast<uint32_t>(abi::Error::InvalidArgument)});
    return out;
}

} // namespace pci
