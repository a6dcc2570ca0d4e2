/// \file main.cpp
/// \brief `pcitest`: a client of the PCI driver: lists the devices, reads configuration space, is refused a write, then shows it cannot touch the ports itself.
///
/// init gives it, in slot 3, a capability to the PCI driver's endpoint from RS's lookup: a plain
/// client's badge, which may read any device's configuration but write none (protocols/pci.hpp).
#include "lib/port_io.hpp"
#include "print.hpp"
#include "protocols/pci.hpp"
#include "sys.hpp"

int main(int, char**)
{
    protocol::pci::Client pci(3);
    protocol::pci::Device d{};
    unsigned count = 0;
    abi::Error e = abi::Error::None;
    while ((e = pci.device(count, d)) == abi::Error::None) ++count;
    print("pcitest: the driver reports %u devices (then %s)\n", count, abi::error_name(e));
    uint32_t id = 0;
    e = pci.read({0, 0, 0, 0}, 0, id);
    print("pcitest: 00:00.0 vendor:device %04x:%04x (%s)\n", id & 0xffff, id >> 16, abi::error_name(e));
    e = pci.read({0, 0, 0, 0}, 2, id);
    print("pcitest: misaligned offset: %s\n", abi::error_name(e));
    e = pci.read({0, 32, 0, 0}, 0, id);
    print("pcitest: device 32: %s\n", abi::error_name(e));
    e = pci.write({0, 0, 0, 0}, 0x04, 0);
    print("pcitest: writing 00:00.0's command register: %s\n", abi::error_name(e));
    // Without the port capability, the same access is a #GP: this process is killed.
    print("pcitest: now reading 0xcfc directly\n");
    port_io::outl(0xcf8, 0x80000000u);
    uint32_t value = port_io::inl(0xcfc);
    print("pcitest: read 0x%x directly, which must not happen\n", value);
    return 1;
}
