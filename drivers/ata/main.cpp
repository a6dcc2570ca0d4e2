/// \file main.cpp
/// \brief `ata`: the IDE/ATA driver for the primary channel's master disk (bus-master DMA, PIO as the fallback), served as a block device.
///
/// Design (the protocol is userland/lib/protocols/block.hpp):
/// - The service skeleton: service::start, set-up, service::ready, then service::run, which hands
///   every request to AtaHandler::handle (a switch to one do_x() in requests.cpp).
/// - Every transfer goes through one transfer buffer of 256 sectors, allocated from the pool RS
///   gives the driver (`memory=`) and mapped outside .data and .bss (buffer.hpp). With the PIIX
///   IDE controller from `pci=8086:7010` (its bus-master registers at BAR4, and Bus Master Enable
///   set through the PCI driver) the disk moves the sectors itself, by bus-master DMA
///   (busmaster.hpp); without it, or with a disk that cannot, the driver moves them by PIO.
///   Which one is said once at start-up.
/// - One request at a time, synchronously: a command is issued and its transfer is waited for
///   inside the request (disk.cpp). The waits sleep on our own notification, where IRQ 14, a
///   timeout timer and RS's pings arrive (wait.cpp), so RS keeps getting its pongs while the disk
///   works, and a drive that never interrupts is still polled.
/// - Start-up stops the bus master and resets the channel before IDENTIFY: an instance killed in
///   the middle of a command leaves the drive waiting for data that will never come, or the
///   controller in the middle of a transfer.
/// - Restart mode needs no saved state: a request is one call, self-describing and idempotent
///   (the sectors travel through the window the call lends), and clients re-issue the ones a dead
///   instance took with it (block::Client).
/// - No disk (most test boots have none): the driver says so once and answers NotFound.
#include "buffer.hpp"
#include "busmaster.hpp"
#include "handlers.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/block.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "wait.hpp"

namespace {

using namespace ata;

constinit State g_state{};

/// Whether `slot` may hold a capability a message brought: never one the driver uses (RS's
/// resources, the timer's, the transfer buffer's and the PRD page's).
bool received_slot(abi::CapSlot slot)
{
    if (slot <= kSlotPool || slot >= abi::kCapTableSlots) return false;
    return slot != kSlotBusMaster && slot != kSlotPciConfig && slot != wait::timer_slot() && !buffer::holds(slot);
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

/// `pci=BB:DD.F`, the controller's location, among the arguments RS passed; nullptr if absent.
const char* pci_location(const service::Context& ctx)
{
    for (int i = 0; i < ctx.argc; ++i)
        if (strncmp(ctx.argv[i], "pci=", 4) == 0) return ctx.argv[i] + 4;
    return nullptr;
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);

    // (1) The resources of `irq=14 ports=0x1f0:8 ports=0x3f6:1 memory=0x21000`.
    expect_resource(ctx, kSlotIrq, abi::ObjectType::IrqLine, "slot 8 (irq=14)");
    expect_resource(ctx, kSlotPorts, abi::ObjectType::IoPortRange, "slot 9 (ports=0x1f0:8)");
    expect_resource(ctx, kSlotControlPort, abi::ObjectType::IoPortRange, "slot 10 (ports=0x3f6:1)");
    expect_resource(ctx, kSlotPool, abi::ObjectType::Memory, "slot 11 (memory=0x21000)");

    // (2) IRQ 14 and the wait timer on our own notification.
    if (abi::Error e = wait::setup(kSlotIrq); e != abi::Error::None) fail(ctx, "irq_bind", e);

    // (3) The transfer buffer and the PRD page, from the pool.
    if (abi::Error e = buffer::setup(kSlotPool); e != abi::Error::None) fail(ctx, "transfer buffer", e);

    // (4) The bus master, if services.conf gave us the controller (`pci=8086:7010`): a transfer
    // a dead instance left running is stopped here, before the channel reset in probe().
    const char* why_pio = "";
    (void)busmaster::setup(kSlotBusMaster, kSlotPciConfig, pci_location(ctx), why_pio);

    // (5) Reset the channel and identify the disk.
    const char* again = ctx.restarted ? "restarted; " : "";
    abi::Error e = probe(g_state.drive);
    if (e == abi::Error::None) {
        const Drive& d = g_state.drive;
        print("ata: %sprimary master: '%s', %lu sectors (%lu KiB), LBA%d, IRQ 14\n", again, d.model, d.sectors,
              d.sectors / 2, d.lba48 ? 48 : 28);
        if (uses_dma(d))
            print("ata: transfers of up to %u sectors by bus-master DMA (registers at port 0x%x)\n",
                  kMaxTransferSectors, busmaster::base());
        else
            print("ata: transfers of up to %u sectors by PIO (%s)\n", kMaxTransferSectors,
                  busmaster::available() ? "the disk does not do DMA" : why_pio);
    } else {
        print("ata: %sno ATA disk on the primary master (%s)\n", again, abi::error_name(e));
    }
    service::ready(ctx);
    AtaHandler handler;
    service::run(ctx, handler);
}
