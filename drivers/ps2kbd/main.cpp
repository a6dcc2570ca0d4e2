/// \file main.cpp
/// \brief `ps2kbd`: the PS/2 keyboard driver: IRQ 1 and ports 0x60/0x64 in, the chardev protocol out.
///
/// The MINIX server skeleton on the service framework: main() binds the IRQ and calls
/// service::run, whose loop hands requests to Keyboard::handle (one do_x() per label) and IRQ
/// signals to Keyboard::notified.
///
/// Input path: (1) the keyboard raises IRQ 1; the kernel masks the line and signals our
/// notification with kIrqBit; (2) notified() reads port 0x60 while the status port says the
/// output buffer is full; (3) each byte goes through the scan code decoder (scancode.hpp) into
/// the ring buffer; (4) every subscriber's notification is signalled; (5) irq_ack unmasks the
/// line. Readers then call kRead, which never blocks.
///
/// Slots (services.conf `irq=1 ports=0x60:1 ports=0x64:1`, in that order): 8 the IRQ line,
/// 9 and 10 the two ports (held, never named: holding them opens the ports to `in`/`out`).
///
/// State is not kept across a restart: typed-ahead input and the subscribers are lost (clients
/// subscribe again when the data store says `drv.ps2kbd` is up, see chardev.hpp), and held
/// modifiers and Caps Lock start released.
#include "print.hpp"
#include "protocols/chardev.hpp"
#include "scancode.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "lib/port_io.hpp"

namespace {

using namespace protocol::chardev;
using protocol::rs::kSlotFirstResource;
using protocol::rs::kSlotNotification;

constexpr abi::CapSlot kSlotIrq = kSlotFirstResource;
constexpr uint64_t kIrqBit = 1ull << 1;  // Our own notification's bit for IRQ 1.

constexpr uint16_t kDataPort = 0x60;
constexpr uint16_t kStatusPort = 0x64;
constexpr uint8_t kOutputFull = 1u << 0;  // Status: a byte waits in port 0x60.
constexpr uint8_t kFromMouse = 1u << 5;   // Status: ... and it came from the auxiliary (mouse) port.
// More bytes than one interrupt can have queued: a controller that never empties cannot hang us.
constexpr unsigned kMaxBytesPerIrq = 32;

constexpr uint32_t kRingBytes = 512;  // A power of two; about a screenful of typing ahead.
constexpr uint32_t kMaxSubscribers = 8;

using port_io::inb;

struct Subscriber {
    abi::CapSlot notification = abi::kNullSlot;  ///< kNullSlot: unused.
    uint64_t badge = 0;                          ///< Of the client's endpoint capability.
};

/// All of the driver's state.
struct State {
    ps2kbd::Decoder decoder;
    char ring[kRingBytes];
    uint32_t head = 0;  ///< Next byte to read; head == tail is empty. Both only ever grow.
    uint32_t tail = 0;  ///< Next byte to write.
    uint64_t dropped = 0;
    Subscriber subscribers[kMaxSubscribers];
} g_state;

/// Appends bytes to the ring; a full ring drops the newest input, as a terminal's would.
void buffer_input(const char* bytes, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        if (g_state.tail - g_state.head >= kRingBytes) {
            ++g_state.dropped;
            continue;
        }
        g_state.ring[g_state.tail++ % kRingBytes] = bytes[i];
    }
}

void signal_subscribers()
{
    for (const Subscriber& s : g_state.subscribers)
        if (s.notification != abi::kNullSlot) (void)sys::notify_signal(s.notification);
}

/// Steps (2)-(4): drains the controller. Returns true if any byte was buffered.
bool drain_controller()
{
    uint32_t before = g_state.tail;
    for (unsigned i = 0; i < kMaxBytesPerIrq; ++i) {
        uint8_t status = inb(kStatusPort);
        if (!(status & kOutputFull)) break;
        uint8_t code = inb(kDataPort);
        if (status & kFromMouse) continue;  // Not ours; reading it clears the buffer.
        char out[ps2kbd::kMaxKeyBytes];
        buffer_input(out, g_state.decoder.feed(code, out));
    }
    return g_state.tail != before;
}

ipc::Message count_reply(uint32_t label, uint32_t count, abi::Error error)
{
    ipc::Message reply;
    ipc::pack(reply, label, Count{count, static_cast<uint32_t>(error)});
    return reply;
}

/// kRead: ReadRequest -> Data with up to `max` buffered bytes (maybe none: reads never block).
ipc::Message do_read(const ipc::Message& m)
{
    Data data{};
    if (m.length != sizeof(ReadRequest) / 8) {
        data.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    } else {
        uint32_t max = ipc::unpack<ReadRequest>(m).max;
        if (max > kDataBytes) max = kDataBytes;
        while (data.length < max && g_state.head != g_state.tail)
            data.bytes[data.length++] = g_state.ring[g_state.head++ % kRingBytes];
    }
    ipc::Message reply;
    ipc::pack(reply, kRead, data);
    return reply;
}

/// kSubscribe: one notification capability -> Count. One subscription per client (badge): a
/// client that subscribes again (say, after a restart of its own) replaces its notification.
/// `kept`: Set when the received capability is now held by the subscriber table.
ipc::Message do_subscribe(const ipc::Message& m, bool& kept)
{
    kept = false;
    if (m.length != 0 || m.cap_count != 1) return count_reply(kSubscribe, 0, abi::Error::InvalidArgument);
    abi::CapSlot notification = m.send_caps[0];
    abi::CapInfo info{};
    if (sys::cap_identify(notification, &info) < 0) return count_reply(kSubscribe, 0, abi::Error::InvalidArgument);
    if (info.type != abi::ObjectType::Notification) return count_reply(kSubscribe, 0, abi::Error::WrongType);
    if (!(info.rights & abi::rights::kWrite)) return count_reply(kSubscribe, 0, abi::Error::InsufficientRights);

    Subscriber* slot = nullptr;
    for (Subscriber& s : g_state.subscribers) {
        if (s.notification != abi::kNullSlot && s.badge == m.badge) {
            (void)sys::cap_delete(s.notification);
            slot = &s;
            break;
        }
        if (!slot && s.notification == abi::kNullSlot) slot = &s;
    }
    if (!slot) return count_reply(kSubscribe, 0, abi::Error::NoMemory);
    *slot = Subscriber{notification, m.badge};
    kept = true;
    // Input typed before the subscription would otherwise wait for the next key.
    if (g_state.head != g_state.tail) (void)sys::notify_signal(notification);
    return count_reply(kSubscribe, 0, abi::Error::None);
}

class Keyboard final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        bool kept_cap = false;
        ipc::Message reply;
        switch (m.label) {
        case kRead: reply = do_read(m); break;
        case kSubscribe: reply = do_subscribe(m, kept_cap); break;
        case kWrite: reply = count_reply(kWrite, 0, abi::Error::InvalidArgument); break;  // No output.
        default: reply = service::error_reply(m.label, abi::Error::InvalidArgument); break;
        }
        // Every capability received and not kept is deleted, so garbage cannot fill our table.
        for (uint32_t i = kept_cap ? 1 : 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
            if (m.send_caps[i] != abi::kNullSlot) (void)sys::cap_delete(m.send_caps[i]);
        return reply;
    }

    void notified(uint64_t bits) override
    {
        if (!(bits & kIrqBit)) return;
        if (drain_controller()) signal_subscribers();
        // (5) Re-arm the line only now: the kernel keeps it masked while we work.
        (void)sys::irq_ack(kSlotIrq);
    }
};

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    // IRQ 1 arrives as kIrqBit on our own notification (bound to this thread by start()), so the
    // service loop sees keys, requests and RS's pings in one receive.
    int64_t irq_signal = sys::cap_mint(kSlotNotification, abi::kNullSlot, abi::rights::kWrite, kIrqBit);
    if (irq_signal <= 0) service::panic(ctx, "cannot mint a badged notification for IRQ 1");
    int64_t bound = sys::irq_bind(kSlotIrq, static_cast<abi::CapSlot>(irq_signal));
    if (bound < 0) {
        print("ps2kbd: irq_bind: %s\n", abi::error_name(sys::error_of(bound)));
        service::panic(ctx, "cannot bind IRQ 1 (services.conf: irq=1 must be the first resource)");
    }
    // A byte left in the controller (a key pressed before we bound, or while a previous
    // instance died) would block the keyboard's next interrupt: take it now.
    drain_controller();
    print("ps2kbd: ready (%s start)\n", ctx.restarted ? "restart" : "fresh");
    Keyboard handler;
    service::ready(ctx);
    service::run(ctx, handler);
}
