/// \file reply.hpp
/// \brief Reply: the one-shot right to answer a call, held by the server thread that received it.
///
/// When a server receives a `call`, the kernel records the caller in the server thread's Reply
/// object. `reply_recv` answers through it and empties it. If the server dies first, the caller
/// is woken with PeerDied; if the caller dies first, the reply is simply dropped.
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"

struct Thread;

struct Reply : KernelObject {
    static constexpr ObjectType kType = ObjectType::Reply;

    Reply() : KernelObject(kType) {}

    Thread* caller = nullptr;  ///< Blocked waiting for our reply, or nullptr.

    static Result<Reply*> create();
    static void destroy(Reply* reply);
};
