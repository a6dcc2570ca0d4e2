/// \file reply.cpp
/// \brief Reply objects come from their own cache; each thread owns one.
#include "object/reply.hpp"
#include "ipc/ipc.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<Reply> g_replies{"reply"};
}

Result<Reply*> Reply::create() { return g_replies.create(); }

void Reply::destroy(Reply* reply)
{
    // A saved reply dropped unanswered (deleted, or its holder died): the caller must not wait forever.
    ipc::reply_dying(*reply);
    g_replies.destroy(reply);
}
