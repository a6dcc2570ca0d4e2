/// \file rs_client.hpp
/// \brief The shell's calls to the reincarnation server: look up a service's endpoint, read a service's status.
#pragma once

#include "protocols/rs.hpp"

namespace rs_client {

/// init puts a capability to RS's endpoint here, badged 0x1000 like rsctl's.
inline constexpr abi::CapSlot kRsSlot = 3;

/// A capability (Write, Grant) to the endpoint of the service `label`, or kNullSlot if RS does
/// not know it. The endpoint outlives the service's instances, so one lookup is enough.
abi::CapSlot lookup(const char* label);

/// The status of service `label`. \return false if RS does not know it or cannot be reached.
bool status_of(const char* label, protocol::rs::ServiceStatus& out);

/// The pid of the running instance of `label`, or 0.
uint64_t pid_of(const char* label);

/// Whether RS runs `label` or will run it again (not down, not given up on): only then is a
/// call to its endpoint sure to be answered.
bool running(const char* label);

/// Waits (at most `timeout_ns`) until RS's boot sequence is over: no service queued to start or
/// starting. The shell prompts after that, as a login prompt follows the boot messages.
void wait_for_boot(uint64_t timeout_ns);

} // namespace rs_client
