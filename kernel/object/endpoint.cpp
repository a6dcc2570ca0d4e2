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
    // First make it unfindable: waking the waiters below can end processes, whose
    // server_died() must not come across an endpoint that is already going.
    s_all.remove(endpoint);
    endpoint->server = nullptr;
    while (Thread* t = endpoint->senders.front()) ipc::abort_wait(t, Error::Revoked);
    while (Thread* t = endpoint->receivers.front()) ipc::abort_wait(t, Error::Revoked);
    g_endpoints.destroy(endpoint);
}
// [endpoint-destroy]

// [endpoint-server-died]
void Endpoint::server_died(Process* dead)
{
    // Waking a queued sender can end its life and drop the last reference to this very endpoint
    // (a dying service's exit message holds one), and destroying an endpoint changes s_all. So:
    // first collect the endpoints, each with a reference of our own, then wake, then let go.
    constexpr unsigned kBatch = 32;
    for (;;) {
        Endpoint* batch[kBatch];
        unsigned count = 0;
        s_all.for_each([&](Endpoint* e) {
            if (e->server == dead && count < kBatch) {
                e->server = nullptr;
                object_retain(e);
                batch[count++] = e;
            }
        });
        for (unsigned i = 0; i < count; ++i) {
            // Every sender still queued was waiting for the dead server: wake them with PeerDied
            // so their client library can retry once the server is back.
            while (Thread* sender = batch[i]->senders.front()) ipc::abort_wait(sender, Error::PeerDied);
            object_release(batch[i]);
        }
        if (count < kBatch) return;
    }
}
// [endpoint-server-died]
