/// \file main.cpp
/// \brief The PCI driver: enumerates the bus through ports 0xcf8/0xcfc, reports the devices to RS, and serves configuration space to its clients.
///
/// A service under the reincarnation server (services.conf: `service pci binary=pci
/// ports=0xcf8:8 ...`), so slot 8 holds the IoPortRange 0xcf8..0xcff (`in`/`out` on those ports
/// work here and nowhere else) and slot 3 the endpoint clients call. Start-up, step by step:
///   (1) enumerate every bus, device and function, decoding and sizing each BAR (enumerate.cpp);
///       a restarted instance takes the BAR sizes its predecessor saved in the data store
///       instead of probing again, because probing switches a device's decoding off, and by
///       now drivers are using the devices;
///   (2) save the sizes (`pci.BB:DD.F`, six 64-bit sizes) for a later instance;
///   (3) report every device to RS (protocol::pci::kReport), which hands their BARs and
///       interrupt lines to the drivers services.conf names with `pci=`;
///   (4) ready, then the MINIX loop: receive, check the caller's badge, answer (requests.cpp).
#include "lib/format.hpp"
#include "pci.hpp"
#include "print.hpp"
#include "protocols/ds.hpp"
#include "protocols/rs.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace pci {
State g_state;
}

namespace {

using namespace pci;
using protocol::pci::kBars;

constexpr abi::CapSlot kSlotConfigPorts = protocol::rs::kSlotFirstResource;  // ports=0xcf8:8

unsigned g_restored = 0;  ///< Devices whose BAR sizes came from the data store.

void key_of(Address a, char (&key)[protocol::ds::kKeyBytes])
{
    format(key, sizeof(key), "pci.%02x:%02x.%x", a.bus, a.device, a.function);
}

/// For enumerate(): the sizes an earlier instance saved for `a`, if the data store has them.
bool saved_sizes(Address a, uint64_t (&sizes)[kBars])
{
    char key[protocol::ds::kKeyBytes];
    key_of(a, key);
    protocol::ds::Entry e{};
    protocol::ds::Client ds(protocol::rs::kSlotDs);
    if (ds.retrieve(key, e) != abi::Error::None || e.type != protocol::ds::Type::Blob || e.length != sizeof(sizes))
        return false;
    memcpy(sizes, e.value, sizeof(sizes));
    ++g_restored;
    return true;
}

void save_sizes()
{
    protocol::ds::Client ds(protocol::rs::kSlotDs);
    for (unsigned i = 0; i < g_state.count; ++i) {
        const Device& d = g_state.devices[i];
        uint64_t sizes[kBars];
        for (unsigned b = 0; b < kBars; ++b) sizes[b] = d.bars[b].size;
        char key[protocol::ds::kKeyBytes];
        key_of(d.address, key);
        // Without the data store a restart probes again: worth a line, not a failure.
        if (abi::Error e = ds.publish_blob(key, sizes, sizeof(sizes)); e != abi::Error::None) {
            print("pci: cannot save BAR sizes in the data store: %s\n", abi::error_name(e));
            return;
        }
    }
}

/// (3) One call per device (one with count 0 if there are none); RS answers at once.
void report_to_rs()
{
    unsigned count = g_state.count;
    for (unsigned i = 0; i == 0 || i < count; ++i) {
        protocol::pci::Report r{};
        r.index = i;
        r.count = count;
        if (count) r.device = g_state.devices[i];
        ipc::Message m;
        ipc::pack(m, protocol::pci::kReport, r);
        ipc::Result reply = ipc::call(protocol::rs::kSlotRs, m);
        abi::Error e = reply.ok() ? static_cast<abi::Error>(ipc::unpack<protocol::pci::ReportReply>(reply.message).status)
                                  : reply.error;
        if (e != abi::Error::None) {
            print("pci: RS did not take the device list: %s\n", abi::error_name(e));
            return;
        }
    }
}

class PciHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        ipc::Message reply = handle_request(m);
        // The protocol carries no capabilities: whatever came is deleted.
        for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
            if (m.send_caps[i] > kSlotConfigPorts) (void)sys::cap_delete(m.send_caps[i]);
        return reply;
    }
};

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    abi::CapInfo ports{};
    if (sys::cap_identify(kSlotConfigPorts, &ports) < 0 || ports.type != abi::ObjectType::IoPortRange)
        service::panic(ctx, "slot 8 must hold the configuration ports (ports=0xcf8:8)");

    // (1) and (2)
    enumerate(ctx.restarted ? saved_sizes : nullptr);
    for (unsigned i = 0; i < g_state.count; ++i) print_device(g_state.devices[i]);
    if (g_state.dropped) print("pci: %u more functions ignored (at most %u)\n", g_state.dropped, kMaxDevices);
    if (ctx.restarted)
        print("pci: restarted; BAR sizes of %u devices from the data store, %u probed\n", g_restored,
              g_state.count - g_restored);
    if (g_restored < g_state.count) save_sizes();
    print("pci: %u devices; serving configuration space\n", g_state.count);

    // (3) and (4)
    report_to_rs();
    service::ready(ctx);
    PciHandler handler;
    service::run(ctx, handler);
}
