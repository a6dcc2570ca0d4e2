/// \file endpoint.cpp
/// \brief Creating and destroying endpoints, and the recovery rule when a server dies.
#include "object/endpoint.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "ipc/ipc.hpp"
#include "mm/object_cache.hpp"

IntrusiveList<Endpoint, &Endpoint::all_link> Endpoint::s_all;

namespace {
ObjectCache<Endpoint> g_endpoints{"endpoint"};
}

Result<Endpoint*> Endpoint::create()
{
    Endpoint* e = TRY(g_endpoints.create());
    s_all.push_back(e);
    return e;
}

// [endpoint-destroy]
void Endpoint::destroy(Endpoint* endpoint)
{
    // The last capability is gone (deleted or revoked) while threads may still wait here: they
    // can never be served now, so wake them with the reason.
    while (Thread* t = endpoint->senders.front()) ipc::abort_wait(t, Error::Revoked);
    while (Thread* t = endpoint->receivers.front()) ipc::abort_wait(t, Error::Revoked);
    s_all.remove(endpoint);
    g_endpoints.destroy(endpoint);
}
// [endpoint-destroy]

// [endpoint-server-died]
void Endpoint::server_died(Process* dead)
{
    s_all.for_each([&](Endpoint* e) {
        if (e->server != dead) return;
        e->server = nullptr;
        // Every sender still queued was waiting for the dead server: wake them with PeerDied so
        // their client library can retry once the server is back.
        while (Thread* sender = e->senders.front()) ipc::abort_wait(sender, Error::PeerDied);
    });
}
// [endpoint-server-died]
