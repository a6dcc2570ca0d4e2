/// \file wait.cpp
/// \brief IRQ 14 and the timeout timer on the driver's own notification; pongs for RS while waiting.
#include "wait.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace ata::wait {

namespace {

abi::CapSlot g_irq = abi::kNullSlot;    ///< The IrqLine capability (slot 8).
abi::CapSlot g_timer = abi::kNullSlot;  ///< Our notification, badged kTimerBit, for timer_arm.
uint64_t g_interrupts = 0;
uint64_t g_timeouts = 0;

} // namespace

abi::Error setup(abi::CapSlot irq)
{
    using protocol::rs::kSlotNotification;
    g_irq = irq;
    int64_t timer = sys::cap_mint(kSlotNotification, 0, abi::rights::kWrite, kTimerBit);
    if (timer <= 0) return sys::error_of(timer);
    g_timer = static_cast<abi::CapSlot>(timer);
    // The line keeps the notification itself, so its badged capability can go after the bind.
    int64_t badged = sys::cap_mint(kSlotNotification, 0, abi::rights::kWrite, kIrqBit);
    if (badged <= 0) return sys::error_of(badged);
    int64_t bound = sys::irq_bind(irq, static_cast<abi::CapSlot>(badged));
    (void)sys::cap_delete(static_cast<abi::CapSlot>(badged));
    return sys::error_of(bound);
}

// [ata-wait-irq]
bool for_irq(uint64_t timeout_ns)
{
    // (1) A one-shot timer bounds the wait.
    (void)sys::timer_arm(g_timer, timeout_ns, 0);
    bool irq = false;
    for (;;) {
        // (2) Everything signalled on our notification: the IRQ, the timer, RS's ping.
        sys::raw::IpcRegisters r = sys::notify_wait(protocol::rs::kSlotNotification);
        if (r.status < 0) break;
        uint64_t bits = r.badge;
        if (bits & protocol::rs::kPingBit) (void)sys::notify_signal(protocol::rs::kSlotHeartbeat);
        if (bits & kIrqBit) {
            irq = true;
            ++g_interrupts;
            (void)sys::irq_ack(g_irq);
            break;
        }
        if (bits & kTimerBit) {
            ++g_timeouts;
            break;
        }
    }
    // (3) Disarmed; a timer bit that fired meanwhile reaches the service loop, which ignores it,
    // or ends a later wait early, which only makes it poll the drive sooner.
    (void)sys::timer_arm(g_timer, 0, 0);
    return irq;
}
// [ata-wait-irq]

void acknowledge()
{
    ++g_interrupts;
    (void)sys::irq_ack(g_irq);
}

abi::CapSlot timer_slot() { return g_timer; }

uint64_t interrupts() { return g_interrupts; }
uint64_t timeouts() { return g_timeouts; }

} // namespace ata::wait
