/// \file handlers.hpp
/// \brief The serial driver's request handlers (chardev write, read, subscribe) and its interrupt handler.
///
/// Every request is checked to be exactly its label's struct, with exactly the capabilities it
/// should carry, before a word of it is read; a malformed one is answered with the reply struct
/// the typed client in protocols/chardev.hpp expects for that label, its status InvalidArgument.
#pragma once

#include "ipc.hpp"
#include "state.hpp"
#include <stdint.h>

namespace serial {

/// Slots from the service table line `irq=4 ports=0x3f8:8` (see protocols/rs.hpp).
inline constexpr abi::CapSlot kSlotIrq = 8;    ///< IrqLine 4
inline constexpr abi::CapSlot kSlotPorts = 9;  ///< IoPortRange 0x3f8..0x3ff
/// The first slot not fixed by RS: only capabilities at or above it were received from clients.
inline constexpr abi::CapSlot kFirstReceivedSlot = 10;

/// The bit of our own notification (slot 6) that IRQ 4 signals.
inline constexpr uint64_t kIrqBit = 1ull << 0;

/// The data-store key holding `State::received`, kept across restarts.
inline constexpr const char* kReceivedKey = "serial.received";

/// chardev kWrite: Data -> Count.
ipc::Message do_write(const ipc::Message& m);
/// chardev kRead: ReadRequest -> Data (never blocks; maybe 0 bytes).
ipc::Message do_read(State& s, const ipc::Message& m);
/// chardev kSubscribe: exactly one notification capability -> Count{0, status}.
/// `kept`: Set when the received capability is now held as a subscriber.
ipc::Message do_subscribe(State& s, const ipc::Message& m, bool& kept);

/// Deletes the capabilities a message brought, from index `first` on.
void release_caps(const ipc::Message& m, uint32_t first);

/// IRQ 4: drains the UART into the input buffer, acknowledges the line, signals the
/// subscribers and publishes the received count.
void on_interrupt(State& s);

/// Signals every subscriber's notification (a failure is the subscriber's problem).
void signal_subscribers(const State& s);

} // namespace serial
