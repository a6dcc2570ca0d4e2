/// \file sources.cpp
/// \brief Device lookup, input subscriptions, and following RS's `drv.*` news to subscribe again or stop using a device.
#include "sources.hpp"
#include "console.hpp"
#include "lib/string.hpp"
#include "protocols/chardev.hpp"
#include "protocols/ds.hpp"
#include "rs_client.hpp"
#include "sys.hpp"

namespace sources {

namespace {

/// One console device and what the shell knows about it.
struct Device {
    const char* label;
    const char* key;               ///< The data-store key RS publishes for it.
    uint64_t bit;                  ///< Its input bit, or 0 for an output-only device.
    abi::CapSlot endpoint = abi::kNullSlot;  ///< kNullSlot: not in RS's table.
    abi::CapSlot badged = abi::kNullSlot;    ///< Our notification badged with `bit`, kept for re-subscribing.
    bool up = false;               ///< Running (or being restarted): calls will be answered.
    uint64_t pid = 0;              ///< The instance holding our subscription (0: none known).
};

enum { kSerial, kKeyboard, kVga, kDevices };

struct State {
    abi::CapSlot notification = abi::kNullSlot;
    abi::CapSlot ds = abi::kNullSlot;
    Device devices[kDevices] = {{"serial", "drv.serial", kSerialBit},
                                {"ps2kbd", "drv.ps2kbd", kKeyboardBit},
                                {"vga", "drv.vga", 0}};
} g_state;

/// Output goes to serial and vga when they are up.
void update_console()
{
    const Device& serial = g_state.devices[kSerial];
    const Device& vga = g_state.devices[kVga];
    console::attach(serial.up ? serial.endpoint : abi::kNullSlot, vga.up ? vga.endpoint : abi::kNullSlot);
}

/// Subscribes our badged notification with an input driver and remembers which instance took it.
/// \return true if the driver accepted it.
bool subscribe(Device& d)
{
    if (!d.bit || d.badged == abi::kNullSlot) return false;
    // The pid before and after tells which instance holds the subscription. If they differ the
    // driver restarted in between: leave the pid unknown so the next "up" subscribes again.
    uint64_t before = rs_client::pid_of(d.label);
    abi::Error err = protocol::chardev::Client(d.endpoint).subscribe(d.badged);
    uint64_t after = rs_client::pid_of(d.label);
    d.pid = before == 0 || before == after ? after : 0;
    if (err != abi::Error::None) {
        console::print("shell: cannot subscribe to %s: %s\n", d.label, abi::error_name(err));
        return false;
    }
    return true;
}

/// The data store's value for `key`: 'u' for "up", 'd' for "down", 0 if absent or other.
char published_state(const char* key)
{
    protocol::ds::Entry e{};
    if (protocol::ds::Client(g_state.ds).retrieve(key, e) != abi::Error::None) return 0;
    if (e.type != protocol::ds::Type::String) return 0;
    e.value[sizeof(e.value) - 1] = 0;
    const char* value = reinterpret_cast<const char*>(e.value);
    return strcmp(value, "up") == 0 ? 'u' : strcmp(value, "down") == 0 ? 'd' : 0;
}

/// Reads the data store's list of changed `drv.*` keys and brings each console device in line
/// with it. \return The input bits subscribed again (their drivers may hold unread input).
uint64_t follow_changes()
{
    protocol::ds::Client ds(g_state.ds);
    bool changed[kDevices] = {};
    protocol::ds::ChangeList list{};
    do {
        if (ds.changes(list) != abi::Error::None) break;
        for (uint32_t i = 0; i < list.count && i < protocol::ds::kMaxChanges; ++i) {
            list.keys[i][protocol::ds::kKeyBytes - 1] = 0;
            for (int d = 0; d < kDevices; ++d)
                if (strcmp(list.keys[i], g_state.devices[d].key) == 0) changed[d] = true;
        }
    } while (list.more);

    uint64_t again = 0;
    for (int i = 0; i < kDevices; ++i) {
        Device& d = g_state.devices[i];
        if (!changed[i] || d.endpoint == abi::kNullSlot) continue;
        // The value now, not the one that caused the signal: "down" then "up" is a restart done.
        char state = published_state(d.key);
        if (state == 'd') {
            d.up = false;
            d.pid = 0;
        } else if (state == 'u') {
            d.up = true;
            // The instance we subscribed to still has us (e.g. the first "up" after boot).
            uint64_t pid = rs_client::pid_of(d.label);
            // pid 0: not up by RS's account after all; the next "up" will come.
            if (d.bit && pid != 0 && pid != d.pid && subscribe(d)) again |= d.bit;
        }
    }
    update_console();
    return again;
}

} // namespace

bool start()
{
    State& s = g_state;
    // (1) Find the devices. Any of them may be missing from the service table, or down.
    for (Device& d : s.devices) {
        d.endpoint = rs_client::lookup(d.label);
        d.up = d.endpoint != abi::kNullSlot && rs_client::running(d.label);
    }
    s.ds = rs_client::lookup("ds");
    update_console();

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

    // (4) Input. Whether each driver runs is asked again now that the news is subscribed to: a
    // driver that came up between (1) and (3) published its "up" before we listened (RS starts
    // the services one by one while the shell starts), and no news would ever tell us.
    for (Device& d : s.devices) d.up = d.endpoint != abi::kNullSlot && rs_client::running(d.label);
    update_console();
    for (Device& d : s.devices) {
        if (!d.bit || d.endpoint == abi::kNullSlot) continue;
        int64_t badged = sys::cap_mint(s.notification, 0, abi::rights::kWrite, d.bit);
        if (badged <= 0) continue;
        d.badged = static_cast<abi::CapSlot>(badged);
        if (d.up) subscribe(d);
    }
    if (!s.devices[kSerial].up && !s.devices[kKeyboard].up)
        console::print("shell: no serial or keyboard driver running: nothing can be typed yet\n");
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
    if ((word & kDataStoreBit) && g_state.ds != abi::kNullSlot) word |= follow_changes();
    return word & kInputBits;
}

uint32_t read(uint64_t bit, char* out, uint32_t max)
{
    for (const Device& d : g_state.devices)
        if (d.bit == bit && d.up && d.endpoint != abi::kNullSlot) return protocol::chardev::Client(d.endpoint).read(out, max);
    return 0;
}

void stopped(const char* label)
{
    for (Device& d : g_state.devices) {
        if (strcmp(d.label, label) == 0) {
            d.up = false;
            d.pid = 0;
        }
    }
    update_console();
}

} // namespace sources
