/// \file rs_client.cpp
/// \brief Service lookup and status requests to the reincarnation server.
#include "rs_client.hpp"
#include "lib/string.hpp"
#include "sys.hpp"

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
    return status_of(label, st) && st.state != State::Down && st.state != State::Failed && st.state != State::Queued;
}

void wait_for_boot(uint64_t timeout_ns)
{
    uint64_t deadline = sys::clock_ns() + timeout_ns;
    for (;;) {
        bool booting = false;
        ServiceStatus st{};
        for (uint64_t i = 0; Client(kRsSlot).status(i, st) == abi::Error::None && st.status == 0; ++i)
            booting |= st.state == State::Queued || st.state == State::Starting;
        if (!booting || sys::clock_ns() >= deadline) return;
        sys::sleep_ns(10000000);
    }
}

} // namespace rs_client
