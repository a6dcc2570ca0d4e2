/// \file main.cpp
/// \brief `ata`: the IDE/ATA PIO driver for the primary channel's master disk, served as a block device.
///
/// Design (the protocol is userland/lib/protocols/block.hpp):
/// - The service skeleton: service::start, set-up, service::ready, then service::run, which hands
///   every request to AtaHandler::handle (a switch to one do_x() in requests.cpp).
/// - One request at a time, synchronously: a command is issued and its sectors are waited for
///   inside the request (disk.cpp). The waits sleep on our own notification, where IRQ 14, a
///   timeout timer and RS's pings arrive (wait.cpp), so RS keeps getting its pongs while the disk
///   works, and a drive that never interrupts is still polled.
/// - Start-up resets the channel before IDENTIFY: an instance killed in the middle of a command
///   leaves the drive waiting for data that will never come.
/// - Restart mode needs no saved state: requests are self-describing and idempotent, and clients
///   re-issue the ones a dead instance took with it (block::Client). A write whose chunks were
///   half-received by the dead instance is answered kRestart by the new one.
/// - No disk (most test boots have none): the driver says so once and answers NotFound.
#include "handlers.hpp"
#include "lib/format.hpp"
#include "print.hpp"
#include "protocols/block.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "wait.hpp"

namespace {

using namespace ata;

constinit State g_state{};

/// Whether `slot` may hold a capability a message brought: never one RS fills or our timer's.
bool received_slot(abi::CapSlot slot)
{
    return slot > kSlotControlPort && slot < abi::kCapTableSlots && slot != wait::timer_slot();
}

class AtaHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        ipc::Message reply;
        switch (m.label) {
        case protocol::block::kRead: reply = do_read(g_state, m); break;
        case protocol::block::kWrite: reply = do_write(g_state, m); break;
        case protocol::block::kFlush: reply = do_flush(g_state, m); break;
        case protocol::block::kGeometry: reply = do_geometry(g_state, m); break;
        default: reply = service::error_reply(m.label, abi::Error::InvalidArgument); break;
        }
        // The protocol carries no capabilities: whatever came is deleted.
        for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
            if (received_slot(m.send_caps[i])) (void)sys::cap_delete(m.send_caps[i]);
        return reply;
    }

    void notified(uint64_t bits) override
    {
        // An interrupt no command waited for (one that came after a poll saw the drive ready);
        // a stale timer bit needs nothing.
        if (bits & wait::kIrqBit) on_stray_interrupt();
    }
};

/// Stops with a panic naming `what` and the error, as a misconfigured service table deserves.
[[noreturn]] void fail(const service::Context& ctx, const char* what, abi::Error error)
{
    char why[96];
    format(why, sizeof(why), "%s: %s", what, abi::error_name(error));
    service::panic(ctx, why);
}

/// Checks that RS gave us `slot` holding a capability of type `type`.
void expect_resource(const service::Context& ctx, abi::CapSlot slot, abi::ObjectType type, const char* what)
{
    abi::CapInfo info{};
    int64_t ret = sys::cap_identify(slot, &info);
    if (ret < 0) fail(ctx, what, sys::error_of(ret));
    if (info.type != type) fail(ctx, what, abi::Error::WrongType);
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);

    // (1) The resources of `irq=14 ports=0x1f0:8 ports=0x3f6:1`.
    expect_resource(ctx, kSlotIrq, abi::ObjectType::IrqLine, "slot 8 (irq=14)");
    expect_resource(ctx, kSlotPorts, abi::ObjectType::IoPortRange, "slot 9 (ports=0x1f0:8)");
    expect_resource(ctx, kSlotControlPort, abi::ObjectType::IoPortRange, "slot 10 (ports=0x3f6:1)");

    // (2) IRQ 14 and the wait timer on our own notification.
    if (abi::Error e = wait::setup(kSlotIrq); e != abi::Error::None) fail(ctx, "irq_bind", e);

    // (3) Reset the channel and identify the disk.
    const char* again = ctx.restarted ? "restarted; " : "";
    abi::Error e = probe(g_state.drive);
    if (e == abi::Error::None) {
        const Drive& d = g_state.drive;
        print("ata: %sprimary master: '%s', %lu sectors (%lu KiB), LBA%d, IRQ 14\n", again, d.model, d.sectors,
              d.sectors / 2, d.lba48 ? 48 : 28);
    } else {
        print("ata: %sno ATA disk on the primary master (%s)\n", again, abi::error_name(e));
    }
    service::ready(ctx);
    AtaHandler handler;
    service::run(ctx, handler);
}
