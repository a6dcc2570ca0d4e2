/// \file transfer.hpp
/// \brief Checking a message and copying it from sender to receiver: words, badge and capabilities.
#pragma once

#include "abi/ipc.hpp"
#include "lib/result.hpp"
#include <stdint.h>

struct Thread;

namespace ipc {

/// Step (2): MessageTooLong beyond 64 words, TooManyCapabilities beyond 4, InsufficientRights
/// to send capabilities without Grant, and each capability to send must be a valid slot.
Result<void> check_message(Thread& sender, abi::MessageInfo info, uint32_t endpoint_rights);

/// Step (4): copies the message of `sender` (its registers and IPC buffer, or its pending kernel
/// message) into `receiver`'s registers and IPC buffer, with `badge` in RDI. Capabilities are
/// copied into free slots of the receiver's table when `rights` include Grant; transfer stops at
/// the first one that cannot be copied, and the info word tells how many arrived.
void transfer(Thread& sender, Thread& receiver, uint64_t badge, uint32_t rights);

} // namespace ipc
