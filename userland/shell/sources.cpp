/// \file sources.cpp
/// \brief Input subscriptions, and subscribing again when RS reports that an input driver is back.
#include "sources.hpp"
#include "console.hpp"
#include "lib/string.hpp"
#include "protocols/chardev.hpp"
#include "protocols/ds.hpp"
#include "rs_client.hpp"
#include "sys.hpp"

namespace sources {

namespace {

/// One input driver and our subscription to it.
struct Input {
    const char* label;
    const char* key;               ///< The data-store key RS publishes for it.
    uint64_t bit;
    abi::CapSlot endpoint = abi::kNullSlot;
    abi::CapSlot badged = abi::kNullSlot;  ///< Our notification, badged with `bit`, kept for re-subscribing.
    uint64_t pid = 0;              ///< The instance we subscribed to (0: not known).
};

struct State {
    abi::CapSlot notification = abi::kNullSlot;
    abi::CapSlot ds = abi::kNullSlot;
    Input inputs[2] = {{"serial", "drv.serial", kSerialBit}, {"ps2kbd", "drv.ps2kbd", kKeyboardBit}};
} g_state;

/// Subscribes our badged notification with the driver and remembers which instance took it.
/// \return true if the driver accepted it.
bool subscribe(Input& in)
{
    // The pid before and after tells which instance holds the subscription. If they differ the
    // driver restarted in between: leave the pid unknown so the next "up" subscribes again.
    uint64_t before = rs_client::pid_of(in.label);
    abi::Error err = protocol::chardev::Client(in.endpoint).subscribe(in.badged);
    uint64_t after = rs_client::pid_of(in.label);
    in.pid = before == 0 || before == after ? after : 0;
    if (err != abi::Error::None) {
        console::print("shell: cannot subscribe to %s: %s\n", in.label, abi::error_name(err));
        return false;
    }
    return true;
}

/// Is the data store's value for `key` the string "up"?
bool published_up(const char* key)
{
    protocol::ds::Entry e{};
    if (protocol::ds::Client(g_state.ds).retrieve(key, e) != abi::Error::None) return false;
    if (e.type != protocol::ds::Type::String) return false;
    e.value[sizeof(e.value) - 1] = 0;
    return strcmp(reinterpret_cast<const char*>(e.value), "up") == 0;
}

/// Reads the data store's list of changed `drv.*` keys and subscribes again to every input
/// driver that is up as a new instance. \return The bits of the inputs subscribed again.
uint64_t resubscribe_restarted()
{
    protocol::ds::Client ds(g_state.ds);
    uint64_t changed = 0;
    protocol::ds::ChangeList list{};
    do {
        if (ds.changes(list) != abi::Error::None) break;
        for (uint32_t i = 0; i < list.count && i < protocol::ds::kMaxChanges; ++i) {
            list.keys[i][protocol::ds::kKeyBytes - 1] = 0;
            for (Input& in : g_state.inputs)
                if (in.endpoint != abi::kNullSlot && strcmp(list.keys[i], in.key) == 0) changed |= in.bit;
        }
    } while (list.more);

    uint64_t again = 0;
    for (Input& in : g_state.inputs) {
        if (!(changed & in.bit) || !published_up(in.key)) continue;
        // The same instance we subscribed to still has us (e.g. the first "up" after boot).
        uint64_t pid = rs_client::pid_of(in.label);
        if (pid != 0 && pid == in.pid) continue;
        if (subscribe(in)) again |= in.bit;
    }
    return again;
}

} // namespace

bool start()
{
    State& s = g_state;
    // (1) Find the devices. Any of them may be missing from the service table.
    abi::CapSlot vga = rs_client::lookup("vga");
    s.inputs[0].endpoint = rs_client::lookup("serial");
    s.inputs[1].endpoint = rs_client::lookup("ps2kbd");
    s.ds = rs_client::lookup("ds");
    console::attach(s.inputs[0].endpoint, vga);

    // (2) One notification for everything, one badged copy per source.
    int64_t n = sys::notification_create();
    if (n <= 0) {
        console::print("shell: cannot create a notification: %s\n", abi::error_name(sys::error_of(n)));
        return false;
    }
    s.notification = static_cast<abi::CapSlot>(n);

    // (3) Restart news first, so a driver restarting after its subscription below is noticed.
    if (s.ds != abi::kNullSlot) {
        int64_t badged = sys::cap_mint(s.notification, 0, abi::rights::kWrite, kDataStoreBit);
        abi::Error err = badged > 0 ? protocol::ds::Client(s.ds).subscribe("drv.", static_cast<abi::CapSlot>(badged))
                                    : sys::error_of(badged);
        if (err != abi::Error::None) console::print("shell: cannot subscribe to drv.*: %s\n", abi::error_name(err));
    }

    // (4) Input.
    for (Input& in : s.inputs) {
        if (in.endpoint == abi::kNullSlot) continue;
        int64_t badged = sys::cap_mint(s.notification, 0, abi::rights::kWrite, in.bit);
        if (badged <= 0) continue;
        in.badged = static_cast<abi::CapSlot>(badged);
        subscribe(in);
    }
    if (s.inputs[0].endpoint == abi::kNullSlot && s.inputs[1].endpoint == abi::kNullSlot)
        console::print("shell: no serial or keyboard driver: nothing can be typed\n");
    return true;
}

uint64_t wait()
{
    sys::raw::IpcRegisters r = sys::notify_wait(g_state.notification);
    if (r.status < 0) {
        // Not expected; do not spin at full speed if it keeps failing.
        sys::sleep_ns(10000000);
        return 0;
    }
    uint64_t word = r.badge;
    if ((word & kDataStoreBit) && g_state.ds != abi::kNullSlot) word |= resubscribe_restarted();
    return word & kInputBits;
}

uint32_t read(uint64_t bit, char* out, uint32_t max)
{
    for (const Input& in : g_state.inputs)
        if (in.bit == bit && in.endpoint != abi::kNullSlot) return protocol::chardev::Client(in.endpoint).read(out, max);
    return 0;
}

} // namespace sources
