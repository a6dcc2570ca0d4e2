/// \file rs_client.cpp
/// \brief Service lookup and status requests to the reincarnation server.
#include "rs_client.hpp"
#include "lib/string.hpp"

namespace rs_client {

using namespace protocol::rs;

abi::CapSlot lookup(const char* label)
{
    NameRequest req{};
    set_label(req, label);
    ipc::Message m;
    ipc::pack(m, kLookup, req);
    ipc::Result r = ipc::call(kRsSlot, m);
    if (!r.ok() || r.message.cap_count != 1) return abi::kNullSlot;
    if (ipc::unpack<Reply>(r.message).status != 0) return abi::kNullSlot;
    return r.message.send_caps[0];
}

bool status_of(const char* label, ServiceStatus& out)
{
    for (uint64_t i = 0;; ++i) {
        ipc::Message m;
        ipc::pack(m, kList, ListRequest{i});
        ipc::Result r = ipc::call(kRsSlot, m);
        if (!r.ok()) return false;
        out = ipc::unpack<ServiceStatus>(r.message);
        if (out.status) return false;
        out.label[sizeof(out.label) - 1] = '\0';
        if (strcmp(out.label, label) == 0) return true;
    }
}

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
