/// \file pci.hpp
/// \brief The PCI driver's state and the functions its files share: configuration access, enumeration, requests.
#pragma once

#include "ipc.hpp"
#include "protocols/pci.hpp"
#include <stdint.h>

namespace pci {

using protocol::pci::Address;
using protocol::pci::Device;

inline constexpr unsigned kMaxDevices = 32;

/// Everything the driver knows: the devices found at start-up.
struct State {
    Device devices[kMaxDevices];
    unsigned count = 0;
    unsigned dropped = 0;  ///< Functions found beyond kMaxDevices.
};

extern State g_state;

// config.cpp: the two configuration ports, through our IoPortRange 0xcf8..0xcff.
uint32_t config_read(Address a, uint32_t offset);
void config_write(Address a, uint32_t offset, uint32_t value);

// enumerate.cpp
/// Scans every bus, device and function. BAR sizes come from `known_sizes(address, sizes)`
/// when it returns true (a restarted driver's saved sizes), else from the probe.
void enumerate(bool (*known_sizes)(Address, uint64_t (&)[protocol::pci::kBars]));
/// Prints one device and its BARs, as the tests and `info pci` compare them.
void print_device(const Device& d);

// requests.cpp
/// Answers one client request; the badge decides what the client may do.
ipc::Message handle_request(const ipc::Message& m);

} // namespace pci
