/// \file wait.hpp
/// \brief Waiting for IRQ 14 inside a request, with a timer as the fallback, while still answering RS's heartbeat.
///
/// A command's completion is waited for in the middle of handling a request, so the service
/// loop is not receiving: RS's pings would go unanswered and RS would think the driver hung. So
/// the wait is on our own notification (slot 6) directly, where the IRQ (kIrqBit), a one-shot
/// kernel timer (kTimerBit) and RS's pings all arrive; pings are answered at once. The timer
/// bounds every wait: if an emulator never raises the interrupt, the driver still polls the
/// drive's status every time it fires.
#pragma once

#include "abi/capability.hpp"
#include "abi/errors.hpp"
#include <stdint.h>

namespace ata::wait {

inline constexpr uint64_t kIrqBit = 1ull << 0;    ///< IRQ 14 on our notification.
inline constexpr uint64_t kTimerBit = 1ull << 1;  ///< The wait's timeout.

/// Binds IRQ line `irq` to our notification (badge kIrqBit) and makes the timer's capability.
abi::Error setup(abi::CapSlot irq);

/// Waits until IRQ 14 arrives or `timeout_ns` pass, answering pings meanwhile. An interrupt is
/// acknowledged (the line re-armed) before this returns: the caller reads the status register
/// next, which lowers the drive's INTRQ; the PIC sees only the next command's edge.
/// \return true if the interrupt came.
bool for_irq(uint64_t timeout_ns);

/// Re-arms the line after an interrupt that arrived while no command waited for it.
void acknowledge();

/// The slot of the timer's capability (never to be deleted as a received one).
abi::CapSlot timer_slot();

/// Interrupts received, and waits that ended by timeout instead.
uint64_t interrupts();
uint64_t timeouts();

} // namespace ata::wait
