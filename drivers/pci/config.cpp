/// \file config.cpp
/// \brief Configuration mechanism #1: an address written to port 0xcf8 selects a register, port 0xcfc reads or writes it.
#include "pci.hpp"
#include "lib/port_io.hpp"

namespace pci {

namespace {

constexpr uint16_t kConfigAddress = 0xcf8;
constexpr uint16_t kConfigData = 0xcfc;

/// Bit 31 enables the access; then bus, device, function and the register's dword offset.
uint32_t select(Address a, uint32_t offset)
{
    return 0x80000000u | (uint32_t(a.bus) << 16) | (uint32_t(a.device & 0x1f) << 11) | (uint32_t(a.function & 7) << 8) |
           (offset & 0xfc);
}

} // namespace

uint32_t config_read(Address a, uint32_t offset)
{
    port_io::outl(kConfigAddress, select(a, offset));
    return port_io::inl(kConfigData);
}

void config_write(Address a, uint32_t offset, uint32_t value)
{
    port_io::outl(kConfigAddress, select(a, offset));
    port_io::outl(kConfigData, value);
}

} // namespace pci
