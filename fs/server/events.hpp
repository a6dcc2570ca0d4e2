/// \file events.hpp
/// \brief The server's notification bits (write-back timer, console input) and the keep-alive that answers RS's pings while a long disk operation runs.
///
/// `fs` is one thread. Its notification (slot 6) is bound to that thread, so the service loop
/// sees every signal as a message, between requests. A request that does much disk work (a sync
/// of a full cache, a large truncate) would keep RS's ping unanswered and get `fs` killed as
/// hung, so the disk glue calls keepalive() between block requests: it polls the notification,
/// answers a ping at once, and keeps the other bits for the service loop (take_pending()).
#pragma once

#include <stdint.h>
#include "abi/capability.hpp"

namespace fs::events {

inline constexpr uint64_t kTimerBit = 1ull << 0;    ///< The periodic write-back timer.
inline constexpr uint64_t kConsoleBit = 1ull << 1;  ///< The serial driver has input for us.

/// Write back dirty blocks this often (nanoseconds).
inline constexpr uint64_t kWritebackPeriodNs = 1000000000ull;

/// Mints the badged copies of our notification and arms the periodic timer.
/// \return false when a capability could not be made (the server still runs, without them).
bool setup();

/// Our notification badged kConsoleBit, for the serial driver's subscribe; kNullSlot if none.
abi::CapSlot console_notification();

/// Polls the notification without blocking: a ping is answered with a pong now, other bits are
/// kept for take_pending().
void keepalive();

/// The bits keepalive() collected since the last call, cleared.
uint64_t take_pending();

} // namespace fs::events
