/// \file console.cpp
/// \brief The console device over the serial and VGA drivers: output to both, input from serial with parked readers.
#include "console.hpp"
#include "events.hpp"
#include "parked.hpp"
#include "protocols/chardev.hpp"
#include "replies.hpp"
#include "window.hpp"

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

/// Input taken from the driver and not yet given to a reader (what followed a Ctrl-D).
char g_pending[protocol::chardev::kDataBytes];
uint32_t g_pending_length = 0;

constexpr char kEndOfFile = 0x04;  ///< Ctrl-D: the reader gets end of file (a read of 0 bytes).

/// Up to `max` bytes of input into `out`. A Ctrl-D ends what is returned: bytes before it come
/// first, and a read that starts at it returns 0 bytes with `eof` set (the Ctrl-D is used up),
/// so `cat` reading the console ends when the user types Ctrl-D, as on a terminal.
uint32_t read_input(char* out, uint32_t max, bool& eof)
{
    eof = false;
    if (g_pending_length == 0 && g_serial != abi::kNullSlot)
        g_pending_length = protocol::chardev::Client(g_serial, kDriverRetryMs).read(g_pending, sizeof(g_pending));
    if (g_pending_length == 0) return 0;
    uint32_t n = 0;
    while (n < max && n < g_pending_length && g_pending[n] != kEndOfFile) out[n] = g_pending[n], ++n;
    uint32_t used = n;
    if (n == 0 && g_pending[0] == kEndOfFile) {
        eof = true;
        used = 1;
    }
    for (uint32_t i = used; i < g_pending_length; ++i) g_pending[i - used] = g_pending[i];
    g_pending_length -= used;
    return n;
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

namespace {

/// Takes what input there is (up to `length` bytes) into the window of call `reply`. \return
/// false when there is nothing to give yet; else `answer` is the kRead reply.
bool give_input(abi::CapSlot reply_slot, uint32_t length, ipc::Message& answer)
{
    char buffer[protocol::chardev::kDataBytes];
    bool eof = false;
    uint32_t n = read_input(buffer, length < sizeof(buffer) ? length : sizeof(buffer), eof);
    if (n == 0 && !eof) return false;
    posix::Errno e = window::put(reply_slot, 0, buffer, n);
    answer = count_reply(protocol::fs::kRead, e, n);
    return true;
}

} // namespace

ipc::Message read(uint32_t label, uint64_t badge, uint32_t length)
{
    if (length == 0) return reply(label, posix::kOk, 0);
    // Earlier readers first: only with none parked may this one take input at once.
    ipc::Message answer;
    if (parked::oldest(parked::Wait::ConsoleRead) == nullptr && give_input(abi::kNullSlot, length, answer)) return answer;
    if (!parked::park(parked::Wait::ConsoleRead, badge, 0, length)) return reply(label, posix::EAGAIN);
    // Subscribing also signals us at once if input came in between.
    subscribe();
    return no_reply();
}

void on_input()
{
    ipc::Message answer;
    while (parked::Call* c = parked::oldest(parked::Wait::ConsoleRead)) {
        if (!give_input(c->reply, c->length, answer)) return;
        parked::answer(*c, answer);
    }
}

void tick()
{
    if (parked::oldest(parked::Wait::ConsoleRead) == nullptr) return;
    subscribe();
    on_input();
}

} // namespace fs::console
