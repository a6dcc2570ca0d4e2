/// \file reply.hpp
/// \brief Reply: the one-shot right to answer a call, held by the server thread that received it.
///
/// When a server receives a `call`, the kernel records the caller in the server thread's Reply
/// object. `reply_recv` answers through it and empties it. If the server dies first, the caller
/// is woken with PeerDied; if the caller dies first, the reply is simply dropped.
///
/// A server that cannot answer at once (a read from an empty pipe, a wait for a child that is
/// still running) *saves* the reply with `reply_save`: the caller moves to a new Reply object,
/// reached through a capability in the server's table, and the server is free to take other
/// calls. `reply_send` on that capability answers later and uses the capability up. Deleting it
/// unanswered, or the server dying, wakes the caller with PeerDied (seL4's reply capabilities,
/// MINIX's deferred replies).
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"

struct Thread;

struct Reply : KernelObject {
    static constexpr ObjectType kType = ObjectType::Reply;

    Reply() : KernelObject(kType) {}

    Thread* caller = nullptr;  ///< Blocked waiting for our reply, or nullptr.
    Thread* owner = nullptr;   ///< The server thread that answers through it (for GDB and logs).

    static Result<Reply*> create();
    static void destroy(Reply* reply);
};
