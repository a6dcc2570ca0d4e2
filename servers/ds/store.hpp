/// \file store.hpp
/// \brief Publish, retrieve and delete: pure functions over ds::State (no system calls), so they can be unit-tested on the host.
///
/// Each operation that changes a key returns, with its status, the subscriptions whose
/// notifications must be signalled; the caller (handlers.hpp) does the signalling.
#pragma once

#include "state.hpp"
#include "subscriptions.hpp"

namespace ds {

/// What a changing operation did: its status, and whom to notify.
struct Outcome {
    abi::Error error;
    SignalMask signals;
};

/// The record holding `key`, or nullptr.
inline Record* find_record(State& s, const KeyField& key)
{
    for (Record& r : s.records)
        if (r.used && key_equal(r.entry.key, key)) return &r;
    return nullptr;
}

/// The number of keys stored.
inline uint32_t key_count(const State& s)
{
    uint32_t n = 0;
    for (const Record& r : s.records) n += r.used ? 1 : 0;
    return n;
}

/// Whether a published value is well-formed for its type: a U64 is exactly 8 bytes, a String is
/// NUL-terminated within its length, a Blob is at most kValueBytes. Unknown types are invalid.
inline bool valid_value(const Entry& e)
{
    switch (e.type) {
    case Type::U64: return e.length == 8;
    case Type::String:
        if (e.length == 0 || e.length > kValueBytes) return false;
        for (uint32_t i = 0; i < e.length; ++i)
            if (e.value[i] == 0) return true;
        return false;
    case Type::Blob: return e.length <= kValueBytes;
    }
    return false;
}

/// Stores `request`'s value under its key for `badge`: creates the key (owned by `badge`) or,
/// if `badge` owns it, replaces its value.
/// \return InvalidArgument for a bad key or value, InsufficientRights if another badge owns the
///         key, NoMemory if the store is full; otherwise None and the subscribers to signal.
inline Outcome publish(State& s, uint64_t badge, const Entry& request)
{
    if (!valid_key(request.key) || !valid_value(request)) return {abi::Error::InvalidArgument, 0};

    Record* record = find_record(s, request.key);
    if (record && record->owner != badge) return {abi::Error::InsufficientRights, 0};
    if (!record) {
        for (Record& r : s.records) {
            if (!r.used) {
                record = &r;
                break;
            }
        }
        if (!record) return {abi::Error::NoMemory, 0};
        record->used = 1;
        record->owner = badge;
    }

    // Store a clean copy: the key without trailing garbage, and no bytes past `length`, so a
    // retrieve never echoes what an earlier or a malformed publish left behind.
    Entry& e = record->entry;
    e = Entry{};
    copy_key(e.key, request.key);
    e.type = request.type;
    e.length = request.length;
    for (uint32_t i = 0; i < request.length && i < kValueBytes; ++i) e.value[i] = request.value[i];
    return {abi::Error::None, note_change(s, e.key)};
}

/// Looks `key` up. The reply always echoes the key; its status is None, InvalidArgument (bad
/// key) or NotFound, and on success it carries the type, length, value and owner.
inline Entry retrieve(State& s, const KeyField& key)
{
    Entry reply{};
    copy_key(reply.key, key);
    if (!valid_key(key)) {
        reply.status = status_of(abi::Error::InvalidArgument);
        return reply;
    }
    const Record* record = find_record(s, key);
    if (!record) {
        reply.status = status_of(abi::Error::NotFound);
        return reply;
    }
    reply = record->entry;
    // Bound what a corrupted record could claim, so the reply is still well-formed.
    if (reply.length > kValueBytes) reply.length = kValueBytes;
    reply.status = status_of(abi::Error::None);
    reply.owner = static_cast<uint32_t>(record->owner);
    return reply;
}

/// Deletes `key` if `badge` owns it.
/// \return InvalidArgument (bad key), NotFound, InsufficientRights (not the owner), or None and
///         the subscribers to signal.
inline Outcome remove(State& s, uint64_t badge, const KeyField& key)
{
    if (!valid_key(key)) return {abi::Error::InvalidArgument, 0};
    Record* record = find_record(s, key);
    if (!record) return {abi::Error::NotFound, 0};
    if (record->owner != badge) return {abi::Error::InsufficientRights, 0};

    KeyField deleted;
    copy_key(deleted, record->entry.key);
    *record = Record{};
    return {abi::Error::None, note_change(s, deleted)};
}

} // namespace ds
