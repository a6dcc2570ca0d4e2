/// \file endpoint.hpp
/// \brief Endpoint: the rendezvous point of synchronous IPC, with queues of waiting senders and receivers.
///
/// An endpoint holds no messages: a sender waits in `senders` until a receiver comes, and a
/// receiver waits in `receivers` until a sender comes. The recovery rule lives here too: the
/// endpoint remembers which process last received on it (its server), and when that process
/// dies every caller waiting on the endpoint is woken with Error::PeerDied. The endpoint itself
/// survives, so a restarted server can serve the same clients.
#pragma once

#include "core/thread.hpp"
#include "lib/list.hpp"
#include "lib/result.hpp"
#include "object/kernel_object.hpp"

struct Process;

struct Endpoint : KernelObject {
    static constexpr ObjectType kType = ObjectType::Endpoint;

    Endpoint() : KernelObject(kType) {}

    IntrusiveList<Thread, &Thread::ipc_link> senders;    ///< Blocked in send/call, oldest first.
    IntrusiveList<Thread, &Thread::ipc_link> receivers;  ///< Blocked in recv, oldest first.
    Process* server = nullptr;  ///< The process that last received here (not a reference).
    ListNode all_link;          ///< On the list of every endpoint (for the recovery rule and GDB).

    static Result<Endpoint*> create();
    static void destroy(Endpoint* endpoint);

    /// The recovery rule: `dead` is gone, so every thread waiting to send to an endpoint it
    /// served is woken with PeerDied, and it is no longer any endpoint's server.
    static void server_died(Process* dead);
    /// Calls fn(Endpoint*) for every endpoint.
    template <typename Fn>
    static void for_each(Fn fn);

    static IntrusiveList<Endpoint, &Endpoint::all_link> s_all;
};

template <typename Fn>
void Endpoint::for_each(Fn fn)
{
    s_all.for_each(fn);
}
