/// \file main.cpp
/// \brief `serial`: the 16550 UART driver for COM1 — interrupt-driven input, polled output, served as a chardev.
///
/// Design (the protocol is userland/lib/protocols/chardev.hpp):
/// - The service skeleton: service::start, set-up, service::ready, then service::run, which hands
///   every request to SerialHandler::handle (a switch to one do_x() in requests.cpp) and every
///   notification bit but RS's ping to SerialHandler::notified.
/// - IRQ 4 arrives on the service's own notification (slot 6, the one bound to our thread): a
///   thread has one bound notification, so the line is bound to a copy of it badged kIrqBit.
///   on_interrupt (interrupt.cpp) drains the UART into a 1 KiB input buffer, acknowledges the
///   line, and signals up to 4 subscribers' notifications.
/// - Output is polled, byte by byte, like the kernel's own log, which shares the transmitter.
/// - Restart mode: the unread input is lost with the driver (publishing it per byte would cost a
///   data-store call per keystroke); what survives is `serial.received`, the count of bytes ever
///   received, published after each interrupt and restored by a restarted instance. Subscribers
///   are forgotten too: clients subscribe again when the data store says `drv.serial` is up.
/// - Robust to garbage (RS's fault injection sends random labels and words): requests are read
///   only if their size is exact, and every capability received and not kept is deleted.
#include "handlers.hpp"
#include "lib/format.hpp"
#include "print.hpp"
#include "protocols/chardev.hpp"
#include "protocols/ds.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "uart.hpp"

namespace {

using namespace serial;

constinit State g_state{};

class SerialHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        bool kept_cap = false;
        ipc::Message reply;
        switch (m.label) {
        case protocol::chardev::kWrite: reply = do_write(m); break;
        case protocol::chardev::kRead: reply = do_read(g_state, m); break;
        case protocol::chardev::kSubscribe: reply = do_subscribe(g_state, m, kept_cap); break;
        default: reply = service::error_reply(m.label, abi::Error::InvalidArgument); break;
        }
        // Only a successful subscribe keeps a capability (the first); the rest are deleted.
        release_caps(m, kept_cap ? 1 : 0);
        return reply;
    }

    void notified(uint64_t bits) override
    {
        if (bits & kIrqBit) on_interrupt(g_state);
    }
};

/// Stops with a panic naming `what` and the error, as a misconfigured service table deserves.
[[noreturn]] void fail(const service::Context& ctx, const char* what, int64_t ret)
{
    char why[96];
    format(why, sizeof(why), "%s: %s", what, abi::error_name(sys::error_of(ret)));
    service::panic(ctx, why);
}

/// Checks that RS gave us `slot` holding a capability of type `type`.
void expect_resource(const service::Context& ctx, abi::CapSlot slot, abi::ObjectType type, const char* what)
{
    abi::CapInfo info{};
    int64_t ret = sys::cap_identify(slot, &info);
    if (ret < 0) fail(ctx, what, ret);
    if (info.type != type) fail(ctx, what, -static_cast<int64_t>(abi::Error::WrongType));
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);

    // (1) The resources of `irq=4 ports=0x3f8:8`, and a UART behind the ports.
    expect_resource(ctx, kSlotIrq, abi::ObjectType::IrqLine, "slot 8 (irq=4)");
    expect_resource(ctx, kSlotPorts, abi::ObjectType::IoPortRange, "slot 9 (ports=0x3f8:8)");
    if (!uart::present()) service::panic(ctx, "no UART at COM1");

    // (2) A restarted driver carries on counting from its previous instance.
    protocol::ds::Client ds(protocol::rs::kSlotDs);
    if (ctx.restarted) {
        uint64_t saved = 0;
        if (ds.retrieve_u64(kReceivedKey, saved) == abi::Error::None) g_state.received = saved;
    }

    // (3) IRQ 4 signals kIrqBit on our own notification. The line keeps the notification
    // itself, so the badged capability is not needed after the bind.
    int64_t badged = sys::cap_mint(protocol::rs::kSlotNotification, 0, abi::rights::kWrite, kIrqBit);
    if (badged <= 0) fail(ctx, "a badged copy of slot 6", badged);
    int64_t bound = sys::irq_bind(kSlotIrq, static_cast<abi::CapSlot>(badged));
    (void)sys::cap_delete(static_cast<abi::CapSlot>(badged));
    if (bound < 0) fail(ctx, "irq_bind", bound);

    // (4) Program the UART, and take what was typed before we were listening (an interrupt
    // raised meanwhile comes later, finds nothing, and is acknowledged).
    uart::configure();
    uint32_t early = uart::receive(g_state.input, g_state.dropped);
    if (early) {
        g_state.received += early;
        (void)ds.publish_u64(kReceivedKey, g_state.received);
    }

    if (ctx.restarted) print("serial: restarted; %lu bytes received so far\n", g_state.received);
    else print("serial: COM1 ready (IRQ 4)\n");
    service::ready(ctx);
    SerialHandler handler;
    service::run(ctx, handler);
}
