/// \file console.cpp
/// \brief The console device over the serial and VGA drivers: output to both, input from serial with parked readers.
#include "console.hpp"
#include "events.hpp"
#include "parked.hpp"
#include "protocols/chardev.hpp"
#include "replies.hpp"

namespace fs::console {

namespace {

abi::CapSlot g_serial = abi::kNullSlot;
abi::CapSlot g_vga = abi::kNullSlot;

void subscribe()
{
    abi::CapSlot notification = events::console_notification();
    if (g_serial != abi::kNullSlot && notification != abi::kNullSlot)
        (void)protocol::chardev::Client(g_serial, kDriverRetryMs).subscribe(notification);
}

uint32_t read_input(char* out, uint32_t max)
{
    if (g_serial == abi::kNullSlot) return 0;
    return protocol::chardev::Client(g_serial, kDriverRetryMs).read(out, max);
}

} // namespace

void setup(abi::CapSlot serial, abi::CapSlot vga)
{
    g_serial = serial;
    g_vga = vga;
}

// [fs-console-write]
int64_t write(const char* bytes, uint32_t length)
{
    uint64_t serial = g_serial != abi::kNullSlot ? protocol::chardev::Client(g_serial, kDriverRetryMs).write(bytes, length) : 0;
    uint64_t vga = g_vga != abi::kNullSlot ? protocol::chardev::Client(g_vga, kDriverRetryMs).write(bytes, length) : 0;
    if (length > 0 && serial == 0 && vga == 0) return -1;
    return length;
}
// [fs-console-write]

ipc::Message read(uint32_t label, uint64_t badge, uint32_t length)
{
    if (length == 0) return data_reply(label, posix::kOk);
    // Earlier readers first: only with none parked may this one take input at once.
    if (parked::oldest(parked::Wait::ConsoleRead) == nullptr) {
        char buffer[protocol::chardev::kDataBytes];
        uint32_t n = read_input(buffer, length < sizeof(buffer) ? length : sizeof(buffer));
        if (n > 0) return data_reply(label, posix::kOk, buffer, n);
    }
    if (!parked::park(parked::Wait::ConsoleRead, badge, 0, length)) return data_reply(label, posix::EAGAIN);
    // Subscribing also signals us at once if input came in between.
    subscribe();
    return no_reply();
}

void on_input()
{
    while (parked::Call* c = parked::oldest(parked::Wait::ConsoleRead)) {
        char buffer[protocol::chardev::kDataBytes];
        uint32_t n = read_input(buffer, c->length < sizeof(buffer) ? c->length : sizeof(buffer));
        if (n == 0) return;
        parked::answer(*c, data_reply(protocol::fs::kRead, posix::kOk, buffer, n));
    }
}

void tick()
{
    if (parked::oldest(parked::Wait::ConsoleRead) == nullptr) return;
    subscribe();
    on_input();
}

} // namespace fs::console
