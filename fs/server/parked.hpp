/// \file parked.hpp
/// \brief Parked calls: requests that cannot be answered yet (a read from an empty pipe or the console, a write to a full pipe), kept with their saved reply capability and answered later.
///
/// `fs` never blocks on a client. A request that must wait is *parked*: sys::reply_save() moves
/// the caller's reply into a capability, the server goes on with other requests, and when data,
/// space or an end-of-file arrives, ipc::reply_saved() answers it. Calls are served first come,
/// first served per pipe (and for the console). A parked caller that dies is answered into the
/// void (PeerDied, ignored); a client forgotten by kClientExit has its parked calls dropped,
/// which wakes them with PeerDied.
#pragma once

#include "ipc.hpp"
#include "protocols/fs.hpp"
#include <stdint.h>

namespace fs::parked {

inline constexpr uint32_t kMaxParked = 32;

enum class Wait : uint8_t { PipeRead, PipeWrite, ConsoleRead };

struct Call {
    bool used = false;
    Wait wait = Wait::PipeRead;
    abi::CapSlot reply = abi::kNullSlot;  ///< The saved reply capability.
    uint64_t badge = 0;                   ///< The client.
    uint64_t order = 0;                   ///< When it was parked: first come, first served.
    uint32_t object = 0;                  ///< The pipe (PipeRead, PipeWrite).
    uint32_t length = 0;                  ///< Bytes to read, or to write. The data stays in the
                                          ///< caller's window until the call is served.
};

/// Parks the call being handled (the last one received). \return true when parked; false when
/// it cannot be (no free entry, or the message was sent, not called): answer it now instead.
bool park(Wait wait, uint64_t badge, uint32_t object, uint32_t length);

/// The oldest call waiting for `wait` on `object` (ignored for the console), or nullptr.
Call* oldest(Wait wait, uint32_t object = 0);

/// Answers `call` with `reply` and frees its entry.
void answer(Call& call, const ipc::Message& reply);

/// Drops every parked call of client `badge` (its caller wakes with PeerDied).
void drop_client(uint64_t badge);

/// Calls client `badge` has parked.
uint32_t count(uint64_t badge);

/// All parked calls.
uint32_t total();

} // namespace fs::parked
