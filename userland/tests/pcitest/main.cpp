/// \file main.cpp
/// \brief `pcitest`: a PCI client: finds the host bridge through the PCI driver, then shows it cannot touch the ports itself.
#include "print.hpp"
#include "protocols/pci.hpp"
#include "sys.hpp"

int main(int, char**)
{
    protocol::pci::Client pci(3);
    protocol::pci::DeviceReply d{};
    unsigned count = 0;
    while (pci.device(count, d) == abi::Error::None) ++count;
    print("pcitest: the driver reports %u devices\n", count);
    uint32_t id = 0;
    abi::Error e = pci.read({0, 0, 0, 0}, 0, id);
    print("pcitest: 00:00.0 vendor:device %04x:%04x (%s)\n", id & 0xffff, id >> 16, abi::error_name(e));
    e = pci.read({0, 0, 0, 0}, 2, id);
    print("pcitest: misaligned offset: %s\n", abi::error_name(e));
    e = pci.device(count, d);
    print("pcitest: device past the last: %s\n", abi::error_name(e));
    // Without the port capability, the same access is a #GP: this process is killed.
    print("pcitest: now reading 0xcfc directly\n");
    uint32_t value;
    asm volatile("outl %0, %1" ::"a"(0x80000000u), "Nd"(uint16_t(0xcf8)));
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(uint16_t(0xcfc)));
    print("pcitest: read 0x%x directly, which must not happen\n", value);
    return 1;
}
