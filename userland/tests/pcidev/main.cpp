/// \file main.cpp
/// \brief `pcidev`: a test driver that RS gives one PCI device with `pci=` or `pci_class=`; it checks its capabilities and reads the device through them.
///
/// services.conf names the device, e.g. `service nic binary=pcidev pci=8086:100e`, as the
/// service's first resource, so its capabilities are in slots 8..15 in the order of
/// protocol::pci::kSlotBar0 .. kSlotConfig, and RS passes `pci=BB:DD.F` as an argument. The
/// driver then
///   (1) reads its own device's description from the PCI driver, through the configuration
///       capability (slot 15), and lists what each slot holds;
///   (2) checks the rules of that capability: its own registers yes, its BARs and other devices
///       no (protocols/pci.hpp); and that RS takes device reports from the PCI driver only;
///   (3) reads the device through the BARs and IRQ line (devices.cpp): an e1000, QEMU's
///       standard VGA or an IDE controller;
///   (4) prints "all checks passed" or how many failed, and serves as an ordinary service (RS
///       restarts it with the same capabilities after a fault).
#include "devices.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace {

using namespace protocol::pci;
using pcidev::Context;

constexpr abi::CapSlot kFirstSlot = protocol::rs::kSlotFirstResource;

class Idle final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override { return service::error_reply(m.label, abi::Error::InvalidArgument); }
};

/// `pci=BB:DD.F` among the arguments RS passed.
bool location(const service::Context& ctx, Address& out)
{
    for (int i = 0; i < ctx.argc; ++i)
        if (strncmp(ctx.argv[i], "pci=", 4) == 0) return parse_address(ctx.argv[i] + 4, out);
    return false;
}

/// (1) What each of the eight slots holds, on one line: "slot 8 BAR0 mmio, ...".
void list_slots(Context& c)
{
    static const char* const kNames[kResourceSlots] = {"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "IRQ", "config"};
    char line[256];
    size_t n = format(line, sizeof(line), "pcidev: %s:", c.label);
    const char* separator = "";
    for (unsigned i = 0; i < kResourceSlots; ++i) {
        abi::CapInfo info{};
        c.grant.slots[i] = sys::cap_identify(kFirstSlot + i, &info) == 0 ? kFirstSlot + i : 0;
        if (c.grant.slots[i] && n < sizeof(line)) {
            n += format(line + n, sizeof(line) - n, "%s slot %u %s %s", separator, kFirstSlot + i, kNames[i],
                        abi::object_type_name(info.type));
            separator = ",";
        }
    }
    print("%s\n", line);
}

/// (2) The configuration capability is bound to this device.
unsigned check_config_rules(const Context& c, const Client& pci)
{
    unsigned failed = 0;
    Address self = c.device.address;
    uint32_t command = 0;
    abi::Error read = pci.read(self, 0x04, command);
    abi::Error write = read == abi::Error::None ? pci.write(self, 0x04, command & 0xffff) : read;
    print("pcidev: %s: its command register: read %s (0x%x), written back %s\n", c.label, abi::error_name(read),
          command & 0xffff, abi::error_name(write));
    failed += read != abi::Error::None || write != abi::Error::None;
    abi::Error bar = pci.write(self, 0x10, 0);
    print("pcidev: %s: writing its BAR0 register: %s\n", c.label, abi::error_name(bar));
    failed += bar != abi::Error::InsufficientRights;
    Address other{0, 0, 0, 0};
    if (other == self) other.device = 1;
    uint32_t value = 0;
    abi::Error foreign = pci.read(other, 0, value);
    print("pcidev: %s: reading %02x:%02x.%x's configuration: %s\n", c.label, other.bus, other.device, other.function,
          abi::error_name(foreign));
    failed += foreign != abi::Error::InsufficientRights;
    // Only the `pci` service may tell RS what hardware there is.
    ipc::Message report;
    ipc::pack(report, kReport, Report{0, 1, c.device});
    ipc::Result r = ipc::call(protocol::rs::kSlotRs, report);
    abi::Error forged = r.ok() ? static_cast<abi::Error>(ipc::unpack<ReportReply>(r.message).status) : r.error;
    print("pcidev: %s: reporting a PCI device to RS itself: %s\n", c.label, abi::error_name(forged));
    failed += forged != abi::Error::InsufficientRights;
    return failed;
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    Context c{};
    c.label = ctx.label;
    Address where{};
    if (!location(ctx, where)) service::panic(ctx, "no pci=BB:DD.F argument: is pci= in its services.conf line?");
    Client pci(kFirstSlot + kSlotConfig);
    if (abi::Error e = pci.find(where, c.device); e != abi::Error::None) {
        print("pcidev: %s: the PCI driver does not describe %02x:%02x.%x: %s\n", c.label, where.bus, where.device,
              where.function, abi::error_name(e));
        service::panic(ctx, "no device description");
    }
    const Device& d = c.device;
    print("pcidev: %s: %s%02x:%02x.%x %04x:%04x class %02x.%02x.%02x\n", c.label, ctx.restarted ? "restarted; " : "",
          where.bus, where.device, where.function, d.vendor, d.device, d.class_code, d.subclass, d.prog_if);
    list_slots(c);

    unsigned failed = check_config_rules(c, pci);
    if (d.vendor == 0x8086 && d.device == 0x100e) failed += pcidev::check_e1000(c);
    else if (d.vendor == 0x1234 && d.device == 0x1111) failed += pcidev::check_std_vga(c);
    else if (d.class_code == 0x01 && d.subclass == 0x01) failed += pcidev::check_ide(c);
    else print("pcidev: %s: no register checks for this device\n", c.label);
    if (failed) print("pcidev: %s: %u checks FAILED\n", c.label, failed);
    else print("pcidev: %s: all checks passed\n", c.label);

    service::ready(ctx);
    Idle idle;
    service::run(ctx, idle);
}
