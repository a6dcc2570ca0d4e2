/// \file ds.hpp
/// \brief The data store's protocol: publish, retrieve, delete and subscribe on typed keys.
///
/// The data store (servers/ds) keeps small values under string keys, so a driver's state can
/// survive the driver: a restarted driver retrieves what its previous instance published. Each
/// key belongs to the service that first published it (identified by the badge of its capability
/// to the data store); only the owner may change or delete it, anyone may read it. Subscribers
/// name a key prefix and get their notification signalled whenever a matching key changes; they
/// then call `changes` to learn which keys. The reincarnation server publishes `drv.<label>`
/// = "up" / "down" for every service.
#pragma once

#include "ipc.hpp"
#include "lib/string.hpp"
#include <stdint.h>

namespace protocol::ds {

enum Label : uint32_t {
    kPublish = 1,    ///< Entry -> Status
    kRetrieve = 2,   ///< KeyRequest -> Entry (status NotFound if absent)
    kDelete = 3,     ///< KeyRequest -> Status
    kSubscribe = 4,  ///< KeyRequest (a prefix) + one notification capability -> Status
    kChanges = 5,    ///< (nothing) -> ChangeList: keys changed since the last kChanges
};

inline constexpr uint32_t kKeyBytes = 48;
inline constexpr uint32_t kValueBytes = 384;

enum class Type : uint32_t { U64 = 1, String = 2, Blob = 3 };

struct KeyRequest {
    char key[kKeyBytes];  ///< NUL-terminated.
};
static_assert(sizeof(KeyRequest) == 48);

/// A key with its value: a u64, a NUL-terminated string, or `length` bytes.
struct Entry {
    char key[kKeyBytes];
    Type type;
    uint32_t length;       ///< Bytes used in `value` (8 for U64).
    uint32_t status;       ///< Replies: 0 or an abi::Error number.
    uint32_t owner;        ///< Replies: the badge of the key's owner.
    uint8_t value[kValueBytes];
};
static_assert(sizeof(Entry) == 448);
static_assert(sizeof(Entry) <= abi::kMaxMessageWords * 8);

struct Status {
    uint32_t status;  ///< 0 or an abi::Error number.
    uint32_t reserved;
};
static_assert(sizeof(Status) == 8);

inline constexpr uint32_t kMaxChanges = 8;
struct ChangeList {
    uint32_t count;
    uint32_t more;  ///< 1 if further changes are waiting (call again).
    char keys[kMaxChanges][kKeyBytes];  ///< NUL-terminated; as wide as a key, so any key fits.
};
static_assert(sizeof(ChangeList) == 392);
static_assert(sizeof(ChangeList) <= abi::kMaxMessageWords * 8);

/// A typed client for one capability to the data store.
class Client {
public:
    explicit Client(abi::CapSlot endpoint) : m_endpoint(endpoint) {}

    abi::Error publish_u64(const char* key, uint64_t value) const
    {
        Entry e = make_entry(key, Type::U64);
        memcpy(e.value, &value, 8);
        e.length = 8;
        return publish(e);
    }
    abi::Error publish_string(const char* key, const char* text) const
    {
        Entry e = make_entry(key, Type::String);
        size_t n = strnlen_bounded(text, kValueBytes - 1);
        memcpy(e.value, text, n);
        e.value[n] = 0;
        e.length = static_cast<uint32_t>(n + 1);
        return publish(e);
    }
    abi::Error publish_blob(const char* key, const void* data, uint32_t length) const
    {
        if (length > kValueBytes) return abi::Error::InvalidArgument;
        Entry e = make_entry(key, Type::Blob);
        memcpy(e.value, data, length);
        e.length = length;
        return publish(e);
    }
    /// Fills `out` (status NotFound if the key does not exist).
    abi::Error retrieve(const char* key, Entry& out) const
    {
        ipc::Message m;
        ipc::pack(m, kRetrieve, make_key(key));
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        out = ipc::unpack<Entry>(r.message);
        return static_cast<abi::Error>(out.status);
    }
    abi::Error retrieve_u64(const char* key, uint64_t& value) const
    {
        Entry e;
        abi::Error err = retrieve(key, e);
        if (err != abi::Error::None) return err;
        if (e.type != Type::U64) return abi::Error::WrongType;
        memcpy(&value, e.value, 8);
        return abi::Error::None;
    }
    abi::Error remove(const char* key) const { return status_call(kDelete, make_key(key)); }
    /// Signals `notification` (a capability we pass along) whenever a key starting with `prefix` changes.
    abi::Error subscribe(const char* prefix, abi::CapSlot notification) const
    {
        ipc::Message m;
        ipc::pack(m, kSubscribe, make_key(prefix));
        m.cap_count = 1;
        m.send_caps[0] = notification;
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        return static_cast<abi::Error>(ipc::unpack<Status>(r.message).status);
    }
    abi::Error changes(ChangeList& out) const
    {
        ipc::Result r = ipc::call(m_endpoint, ipc::make(kChanges));
        if (!r.ok()) return r.error;
        out = ipc::unpack<ChangeList>(r.message);
        return abi::Error::None;
    }

private:
    static KeyRequest make_key(const char* key)
    {
        KeyRequest k{};
        memcpy(k.key, key, strnlen_bounded(key, kKeyBytes - 1));
        return k;
    }
    static Entry make_entry(const char* key, Type type)
    {
        Entry e{};
        memcpy(e.key, key, strnlen_bounded(key, kKeyBytes - 1));
        e.type = type;
        return e;
    }
    abi::Error publish(const Entry& e) const { return status_call(kPublish, e); }
    template <typename T>
    abi::Error status_call(uint32_t label, const T& body) const
    {
        ipc::Message m;
        ipc::pack(m, label, body);
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return r.error;
        return static_cast<abi::Error>(ipc::unpack<Status>(r.message).status);
    }

    abi::CapSlot m_endpoint;
};

} // namespace protocol::ds
