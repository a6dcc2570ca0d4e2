/// \file state.hpp
/// \brief The data store's whole state in one struct, and the key helpers every operation shares.
///
/// Everything is fixed-size and lives in one `State` (in .bss, no allocation). Robustness rule:
/// no field of the state is ever used as an array index without being bounded first, and every
/// loop runs to a compile-time capacity. A wild write into the state can so give wrong answers,
/// but never make the server read or write outside its arrays.
#pragma once

#include "protocols/ds.hpp"
#include <stddef.h>
#include <stdint.h>

namespace ds {

using protocol::ds::ChangeList;
using protocol::ds::Entry;
using protocol::ds::kKeyBytes;
using protocol::ds::kMaxChanges;
using protocol::ds::kValueBytes;
using protocol::ds::KeyRequest;
using protocol::ds::Status;
using protocol::ds::Type;

inline constexpr uint32_t kMaxKeys = 128;          ///< Keys the store holds at once.
inline constexpr uint32_t kMaxSubscriptions = 16;  ///< {badge, prefix, notification} triples.
inline constexpr uint32_t kMaxPending = 16;        ///< Changed keys queued per subscriber.

/// A key field as it travels in messages: up to 47 characters and a NUL.
using KeyField = char[kKeyBytes];

/// One key and its value, as last published.
struct Record {
    uint8_t used;    ///< 0 or 1. Not bool: any byte a wild write leaves here is still a valid value.
    uint64_t owner;  ///< The badge of the first publisher; only it may change or delete the key.
    Entry entry;     ///< Key (normalised), type, length and value; status and owner are set on retrieve.
};

/// "Signal `notification` whenever a key starting with `prefix` changes."
struct Subscription {
    uint8_t used;                ///< 0 or 1 (see Record::used).
    uint64_t badge;              ///< Who subscribed.
    KeyField prefix;             ///< Normalised; may be empty (every key).
    abi::CapSlot notification;   ///< Our copy of the capability received with the subscribe.
};

/// One subscribing badge's queue of changed keys, oldest first (no duplicates).
struct Subscriber {
    uint8_t used;                ///< 0 or 1 (see Record::used).
    uint64_t badge;
    uint32_t count;              ///< Keys in `pending`; bound it with pending_count() before use.
    uint32_t lost;               ///< Changes dropped because the queue was full (diagnostics only).
    KeyField pending[kMaxPending];
};

/// The data store: keys, subscriptions, and the subscribers' change queues.
struct State {
    Record records[kMaxKeys];
    Subscription subscriptions[kMaxSubscriptions];
    Subscriber subscribers[kMaxSubscriptions];  ///< At most one per badge that has a subscription.
};

/// The number of a subscriber's queued keys, never more than the queue holds.
inline uint32_t pending_count(const Subscriber& s) { return s.count < kMaxPending ? s.count : kMaxPending; }

/// The length of the string in a key field, or kKeyBytes if the field holds no NUL.
inline size_t key_length(const KeyField& key)
{
    size_t n = 0;
    while (n < kKeyBytes && key[n] != 0) ++n;
    return n;
}

/// A key is 1..47 characters followed by a NUL inside the field.
inline bool valid_key(const KeyField& key)
{
    size_t n = key_length(key);
    return n >= 1 && n < kKeyBytes;
}

/// A prefix is like a key but may be empty (matching every key).
inline bool valid_prefix(const KeyField& prefix) { return key_length(prefix) < kKeyBytes; }

/// Copies the string in `src` into `dst` and zeroes the rest, so bytes after the NUL (garbage
/// from the sender) are never stored or echoed.
inline void copy_key(KeyField& dst, const KeyField& src)
{
    size_t n = key_length(src);
    if (n > kKeyBytes - 1) n = kKeyBytes - 1;
    for (size_t i = 0; i < kKeyBytes; ++i) dst[i] = i < n ? src[i] : 0;
}

/// Whether two key fields hold the same string (each read only within its field).
inline bool key_equal(const KeyField& a, const KeyField& b)
{
    for (size_t i = 0; i < kKeyBytes; ++i) {
        if (a[i] != b[i]) return false;
        if (a[i] == 0) return true;
    }
    return true;
}

/// Whether `key` starts with the string in `prefix`.
inline bool has_prefix(const KeyField& key, const KeyField& prefix)
{
    size_t n = key_length(prefix);
    if (n >= kKeyBytes) return false;
    for (size_t i = 0; i < n; ++i)
        if (key[i] != prefix[i]) return false;
    return true;
}

/// An abi::Error as the 32-bit status field of a reply.
inline uint32_t status_of(abi::Error e) { return static_cast<uint32_t>(e); }

} // namespace ds
