/// \file pci.hpp
/// \brief The PCI driver's protocol: fixed-size messages and a typed client.
///
/// The PCI driver (drivers/pci) is the only process that holds the configuration ports
/// 0xcf8..0xcff. Everyone else reaches configuration space by calling it, through a capability
/// to its endpoint that init hands out.
#pragma once

#include "ipc.hpp"
#include <stdint.h>

namespace protocol::pci {

enum Label : uint32_t {
    kDevice = 1,  ///< DeviceRequest -> DeviceReply: the index-th device found
    kRead = 2,    ///< ConfigRequest -> ConfigReply: one aligned 32-bit configuration register
    kWrite = 3,   ///< ConfigRequest (with value) -> ConfigReply
};

/// Bus, device and function packed as the configuration-address register wants them.
struct Address {
    uint8_t bus, device, function, reserved;
};

struct DeviceRequest {
    uint64_t index;
};
static_assert(sizeof(DeviceRequest) == 8);

struct DeviceReply {
    Address address;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, irq_line;
    uint32_t bars[6];
    uint32_t status;  ///< 0, or an abi::Error number (NotFound past the last device).
};
static_assert(sizeof(DeviceReply) == 40);

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

/// A typed client: one method per request.
class Client {
public:
    explicit Client(abi::CapSlot endpoint) : m_endpoint(endpoint) {}

    /// The index-th device, or status NotFound.
    abi::Error device(uint64_t index, DeviceReply& out) const
    {
        ipc::Message m;
        ipc::pack(m, kDevice, DeviceRequest{index});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        out = ipc::unpack<DeviceReply>(r.message);
        return static_cast<abi::Error>(out.status);
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
