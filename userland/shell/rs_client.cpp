/// \file rs_client.cpp
/// \brief Service lookup and status requests to the reincarnation server.
#include "rs_client.hpp"
#include "lib/string.hpp"

namespace rs_client {

using namespace protocol::rs;

abi::CapSlot lookup(const char* label) { return Client(kRsSlot).lookup(label); }

bool status_of(const char* label, ServiceStatus& out) { return Client(kRsSlot).status_of(label, out); }

uint64_t pid_of(const char* label)
{
    ServiceStatus st{};
    return status_of(label, st) && st.state == State::Up ? st.pid : 0;
}

bool running(const char* label)
{
    ServiceStatus st{};
    return status_of(label, st) && st.state != State::Down && st.state != State::Failed;
}

} // namespace rs_client
