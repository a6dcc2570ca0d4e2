/// \file events.cpp
/// \brief Notification bits: the write-back timer, the console-input badge, and pongs for RS during long operations.
#include "events.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace fs::events {

namespace {

abi::CapSlot g_timer = abi::kNullSlot;    ///< Our notification badged kTimerBit (timer_arm).
abi::CapSlot g_console = abi::kNullSlot;  ///< Our notification badged kConsoleBit (subscribe).
uint64_t g_pending = 0;                   ///< Bits keepalive() took off the notification.

abi::CapSlot badged(uint64_t bit)
{
    int64_t slot = sys::cap_mint(protocol::rs::kSlotNotification, 0, abi::rights::kWrite, bit);
    return slot > 0 ? static_cast<abi::CapSlot>(slot) : abi::kNullSlot;
}

} // namespace

bool setup()
{
    g_timer = badged(kTimerBit);
    g_console = badged(kConsoleBit);
    if (g_timer != abi::kNullSlot) (void)sys::timer_arm(g_timer, kWritebackPeriodNs, kWritebackPeriodNs);
    return g_timer != abi::kNullSlot && g_console != abi::kNullSlot;
}

abi::CapSlot console_notification() { return g_console; }

void keepalive()
{
    sys::raw::IpcRegisters r = sys::notify_poll(protocol::rs::kSlotNotification);
    if (r.status < 0) return;
    uint64_t bits = r.badge;
    if (bits & protocol::rs::kPingBit) (void)sys::notify_signal(protocol::rs::kSlotHeartbeat);
    g_pending |= bits & ~protocol::rs::kPingBit;
}

uint64_t take_pending()
{
    uint64_t bits = g_pending;
    g_pending = 0;
    return bits;
}

} // namespace fs::events
