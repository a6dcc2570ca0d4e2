/// \file subscriptions.hpp
/// \brief Subscriptions and change queues: pure functions over ds::State (no system calls).
///
/// A change to a key is (1) matched against every subscription's prefix, (2) queued once in the
/// matching subscriber's change queue, and (3) returned as a bit mask of the subscriptions whose
/// notifications the caller must signal (handlers.hpp does the system calls). The subscriber
/// then (4) calls `changes`, which hands out and removes up to kMaxChanges queued keys.
#pragma once

#include "state.hpp"

namespace ds {

/// One bit per subscription (index into State::subscriptions) whose notification to signal.
using SignalMask = uint32_t;
static_assert(kMaxSubscriptions <= 32, "a SignalMask has a bit per subscription");

/// The change queue of `badge`, or nullptr if it has none.
inline Subscriber* find_subscriber(State& s, uint64_t badge)
{
    for (Subscriber& sub : s.subscribers)
        if (sub.used && sub.badge == badge) return &sub;
    return nullptr;
}

/// Appends `key` to a subscriber's queue unless it is already there. A full queue drops the
/// change (counted in `lost`): the protocol has no way to say "you missed some".
inline void enqueue(Subscriber& sub, const KeyField& key)
{
    uint32_t count = pending_count(sub);
    for (uint32_t i = 0; i < count; ++i)
        if (key_equal(sub.pending[i], key)) return;
    if (count == kMaxPending) {
        ++sub.lost;
        sub.count = count;
        return;
    }
    copy_key(sub.pending[count], key);
    sub.count = count + 1;
}

/// Records that `key` changed (published or deleted).
/// \return The subscriptions whose notifications must now be signalled.
inline SignalMask note_change(State& s, const KeyField& key)
{
    SignalMask signals = 0;
    for (uint32_t i = 0; i < kMaxSubscriptions; ++i) {
        const Subscription& sub = s.subscriptions[i];
        // (1) Does this subscription's prefix match?
        if (!sub.used || !has_prefix(key, sub.prefix)) continue;
        // (2) Queue the key for the subscribing badge, once.
        if (Subscriber* queue = find_subscriber(s, sub.badge)) enqueue(*queue, key);
        // (3) Its notification will be signalled.
        signals |= SignalMask(1) << i;
    }
    return signals;
}

/// Adds a subscription. A second subscribe by the same badge with the same prefix replaces the
/// notification (a restarted client re-subscribes without using up a slot).
/// `notification`: The slot of the capability received with the request; kept on success.
/// `replaced`: Set to the slot of a notification capability the caller must now delete, or 0.
/// \return None, InvalidArgument for a bad prefix, or NoMemory when all subscriptions are used.
inline abi::Error subscribe(State& s, uint64_t badge, const KeyField& prefix, abi::CapSlot notification,
                            abi::CapSlot& replaced)
{
    replaced = abi::kNullSlot;
    if (!valid_prefix(prefix)) return abi::Error::InvalidArgument;

    // The same badge and prefix again: swap in the new notification.
    for (Subscription& sub : s.subscriptions) {
        if (sub.used && sub.badge == badge && key_equal(sub.prefix, prefix)) {
            replaced = sub.notification;
            sub.notification = notification;
            return abi::Error::None;
        }
    }

    Subscription* slot = nullptr;
    for (Subscription& sub : s.subscriptions) {
        if (!sub.used) {
            slot = &sub;
            break;
        }
    }
    if (!slot) return abi::Error::NoMemory;

    // Every badge with a subscription has a change queue. There are as many queues as
    // subscriptions, so one is free unless the state was corrupted.
    if (!find_subscriber(s, badge)) {
        Subscriber* queue = nullptr;
        for (Subscriber& q : s.subscribers) {
            if (!q.used) {
                queue = &q;
                break;
            }
        }
        if (!queue) return abi::Error::NoMemory;
        *queue = Subscriber{};
        queue->used = 1;
        queue->badge = badge;
    }

    slot->used = 1;
    slot->badge = badge;
    copy_key(slot->prefix, prefix);
    slot->notification = notification;
    return abi::Error::None;
}

/// Hands out (and removes) up to kMaxChanges of `badge`'s queued keys, oldest first; `more` is 1
/// if keys remain. A badge without subscriptions gets an empty list.
inline ChangeList take_changes(State& s, uint64_t badge)
{
    ChangeList list{};
    Subscriber* queue = find_subscriber(s, badge);
    if (!queue) return list;

    uint32_t count = pending_count(*queue);
    uint32_t n = count < kMaxChanges ? count : kMaxChanges;
    for (uint32_t i = 0; i < n; ++i) copy_key(list.keys[i], queue->pending[i]);
    // Move the rest to the front of the queue.
    for (uint32_t i = n; i < count; ++i) copy_key(queue->pending[i - n], queue->pending[i]);
    queue->count = count - n;

    list.count = n;
    list.more = queue->count > 0 ? 1 : 0;
    return list;
}

} // namespace ds
