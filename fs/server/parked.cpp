/// \file parked.cpp
/// \brief The table of parked calls: saving a reply capability, finding the oldest waiter, answering it later.
#include "parked.hpp"
#include "sys.hpp"

namespace fs::parked {

namespace {

Call g_calls[kMaxParked];
uint64_t g_order = 0;

} // namespace

bool park(Wait wait, uint64_t badge, uint32_t object, uint32_t length)
{
    for (Call& c : g_calls) {
        if (c.used) continue;
        // The caller we received last moves into a Reply capability; the service loop's
        // reply_receive will then answer nobody.
        int64_t slot = sys::reply_save();
        if (slot <= 0) return false;
        c.used = true;
        c.wait = wait;
        c.reply = static_cast<abi::CapSlot>(slot);
        c.badge = badge;
        c.order = ++g_order;
        c.object = object;
        c.length = length;
        return true;
    }
    return false;
}

Call* oldest(Wait wait, uint32_t object)
{
    Call* best = nullptr;
    for (Call& c : g_calls) {
        if (!c.used || c.wait != wait) continue;
        if (wait != Wait::ConsoleRead && c.object != object) continue;
        if (best == nullptr || c.order < best->order) best = &c;
    }
    return best;
}

void answer(Call& call, const ipc::Message& reply)
{
    // PeerDied when the caller has gone meanwhile; the capability is used up either way.
    (void)ipc::reply_saved(call.reply, reply);
    call = Call{};
}

void drop_client(uint64_t badge)
{
    for (Call& c : g_calls) {
        if (c.used && c.badge == badge) {
            (void)sys::cap_delete(c.reply);
            c = Call{};
        }
    }
}

uint32_t count(uint64_t badge)
{
    uint32_t n = 0;
    for (const Call& c : g_calls) n += c.used && c.badge == badge;
    return n;
}

uint32_t total()
{
    uint32_t n = 0;
    for (const Call& c : g_calls) n += c.used;
    return n;
}

} // namespace fs::parked
