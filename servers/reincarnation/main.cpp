/// \file main.cpp
/// \brief The reincarnation server (RS): starts every service in the service table, notices when one fails, and brings it back.
///
/// MINIX 3's RS is the model. RS is the parent and fault handler of every service. It learns of
/// a failure four ways: a CPU exception (the kernel's fault message), an exit or panic (the exit
/// message), a missed heartbeat (no pong within twice the period), or a service that never
/// reports ready. Its loop is the MINIX server skeleton: receive, dispatch on who is calling,
/// reply. Its thread's bound notification brings the timer ticks and the pongs.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/pci.hpp"
#include "rs.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace rs {
void fault_message(Service& s, uint32_t label, const uint64_t* words, uint64_t now);
ipc::Message handle_request(const ipc::Message& m);
ipc::Message complaint(Service& from, const ipc::Message& m, uint64_t now);
} // namespace rs

using namespace rs;

namespace {

/// `modules=a,b,c`: init lists the boot modules it gave us, in slot order.
void read_module_names(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (strncmp(argv[i], "modules=", 8) != 0) continue;
        const char* p = argv[i] + 8;
        while (*p && g_rs.module_count < 32) {
            char* name = g_rs.module_names[g_rs.module_count++];
            size_t n = 0;
            while (*p && *p != ',' && n < 15) name[n++] = *p++;
            name[n] = '\0';
            while (*p && *p != ',') ++p;
            if (*p == ',') ++p;
        }
    }
}

void load_table()
{
    abi::MemoryInfo info{};
    constexpr uint64_t kTableAt = 0x80000000;
    if (sys::memory_info(kSlotTable, &info) != 0 || sys::memory_map(kSlotTable, kTableAt, 0) != 0) {
        print("rs: no service table\n");
        return;
    }
    parse_service_table(reinterpret_cast<const char*>(kTableAt), info.size, g_rs.table);
    for (unsigned i = 0; i < g_rs.table.error_count; ++i)
        print("rs: services.conf line %u: %s\n", g_rs.table.errors[i].line, g_rs.table.errors[i].reason);
    print("rs: %u services in the table\n", g_rs.table.count);
}

// [rs-dispatch]
/// Dispatches one message; returns the reply (ignored when the sender did not call).
ipc::Message dispatch(const ipc::Message& m, uint64_t now)
{
    // Timer ticks and pongs, through the bound notification.
    if (m.label == abi::kNotificationLabel) {
        uint64_t bits = m.words[0];
        for (unsigned i = 0; i < g_rs.count; ++i)
            if (bits & (1ull << i)) g_rs.services[i].last_pong = now;
        if (bits & kTickBit) {
            tick(now);
            campaign_step(now);
        }
        return ipc::make(0);
    }
    // A service's `ready`.
    if (m.badge >= kReadyBadgeBase && m.badge < kReadyBadgeBase + g_rs.count && m.label == protocol::rs::kReady) {
        service_ready(g_rs.services[m.badge - kReadyBadgeBase], now);
        return ipc::make(protocol::rs::kReady);
    }
    // A service's fault or exit, sent by the kernel.
    if (m.badge >= kFaultBadgeBase && m.badge < kFaultBadgeBase + g_rs.count &&
        (m.label == abi::kFaultLabel || m.label == abi::kExitLabel)) {
        fault_message(g_rs.services[m.badge - kFaultBadgeBase], m.label, m.words, now);
        return ipc::make(0);
    }
    // A service's complaint about a service it uses (requests.cpp).
    if (m.badge >= kReadyBadgeBase && m.badge < kReadyBadgeBase + g_rs.count && m.label == protocol::rs::kComplain)
        return complaint(g_rs.services[m.badge - kReadyBadgeBase], m, now);
    // The PCI driver's device list, for services with pci= (pci.cpp checks who sent it).
    if (m.label == protocol::pci::kReport) return pci_report(m);
    // The `service` command.
    if (m.badge == kClientBadge) return handle_request(m);
    return service::error_reply(m.label, abi::Error::InvalidArgument);
}
// [rs-dispatch]

} // namespace

int main(int argc, char** argv)
{
    read_module_names(argc, argv);
    g_rs.heartbeat = static_cast<abi::CapSlot>(sys::notification_create());
    sys::notification_bind(abi::kSlotSelfThread, g_rs.heartbeat);
    abi::CapSlot tick = static_cast<abi::CapSlot>(sys::cap_mint(g_rs.heartbeat, 0, abi::rights::kWrite, kTickBit));
    sys::timer_arm(tick, kTickMs * 1000000, kTickMs * 1000000);

    load_table();
    setup_services();

    // [rs-loop]
    ipc::Result in = ipc::receive(kSlotEndpoint);
    for (;;) {
        ipc::Message reply = in.ok() ? dispatch(in.message, sys::clock_ns()) : ipc::make(0);
        in = ipc::reply_receive(kSlotEndpoint, reply);
        // A capability handed out with that reply has been copied by now.
        if (g_rs.pending_delete) {
            sys::cap_delete(g_rs.pending_delete);
            g_rs.pending_delete = 0;
        }
    }
    // [rs-loop]
}
