/// \file console.hpp
/// \brief The console device: writes go to the serial and VGA drivers, reads come from serial, and a read with no input waiting is parked until some arrives.
///
/// Descriptors 0, 1 and 2 of a client started with `console = 1`, and any open of
/// /dev/console, refer to this device. The drivers are ordinary services that may die and come
/// back: calls to them go through protocol::chardev::Client, which retries after PeerDied for
/// a bounded time (kDriverRetryMs), so a dead or restarting driver delays output but never
/// stops `fs`. Input: we subscribe our notification (badged events::kConsoleBit) with the
/// serial driver when a reader parks, and the driver signals it when bytes arrive. A restarted
/// driver forgets its subscribers, so while readers are parked the periodic timer subscribes
/// again and polls.
#pragma once

#include "abi/capability.hpp"
#include "ipc.hpp"
#include <stdint.h>

namespace fs::console {

/// How long a console driver call is retried after PeerDied.
inline constexpr uint64_t kDriverRetryMs = 1000;

/// The drivers' endpoints (`uses=serial uses=vga`); kNullSlot for one that is missing.
void setup(abi::CapSlot serial, abi::CapSlot vga);

/// Shows `length` bytes on both drivers. \return bytes written (all, if either driver took
/// them), or -1 when neither could (EIO).
int64_t write(const char* bytes, uint32_t length);

/// A console read for client `badge`: what input is there now, or no_reply() when parked.
ipc::Message read(uint32_t label, uint64_t badge, uint32_t length);

/// Our notification said input arrived: answer parked readers while input lasts.
void on_input();

/// The periodic tick: while readers are parked, subscribe again (the driver may have
/// restarted) and look for input.
void tick();

} // namespace fs::console
