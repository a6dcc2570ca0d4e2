/// \file handlers.hpp
/// \brief The data store's request handlers: check the message's shape, run the store operation, signal subscribers, build the reply.
///
/// Every handler first checks that the message is exactly the size of its label's request
/// struct (and carries the capabilities it should), and answers InvalidArgument otherwise: the
/// words are unpacked only after that, and the store functions validate every field again.
/// The reply always has the shape the typed client in protocols/ds.hpp expects for the label.
#pragma once

#include "ipc.hpp"
#include "protocols/ds.hpp"
#include "service.hpp"
#include "state.hpp"
#include "store.hpp"
#include "subscriptions.hpp"
#include "sys.hpp"

namespace ds {

/// Whether `m` is exactly a `T` with no capabilities.
template <typename T>
bool is_request(const ipc::Message& m)
{
    return m.length == sizeof(T) / 8 && m.cap_count == 0;
}

/// A Status reply (publish, delete, subscribe).
inline ipc::Message status_reply(uint32_t label, abi::Error error)
{
    ipc::Message out;
    ipc::pack(out, label, Status{status_of(error), 0});
    return out;
}

/// Signals the notification of every subscription in `signals`. A failed signal (say the
/// subscriber's notification is gone) is not the publisher's problem and is ignored.
inline void signal_subscribers(const State& s, SignalMask signals)
{
    for (uint32_t i = 0; i < kMaxSubscriptions; ++i)
        if ((signals & (SignalMask(1) << i)) && s.subscriptions[i].used)
            (void)sys::notify_signal(s.subscriptions[i].notification);
}

/// kPublish: Entry -> Status.
inline ipc::Message do_publish(State& s, const ipc::Message& m)
{
    if (!is_request<Entry>(m)) return status_reply(m.label, abi::Error::InvalidArgument);
    Outcome outcome = publish(s, m.badge, ipc::unpack<Entry>(m));
    signal_subscribers(s, outcome.signals);
    return status_reply(m.label, outcome.error);
}

/// kRetrieve: KeyRequest -> Entry (its status says NotFound or InvalidArgument).
inline ipc::Message do_retrieve(State& s, const ipc::Message& m)
{
    Entry reply{};
    if (is_request<KeyRequest>(m)) reply = retrieve(s, ipc::unpack<KeyRequest>(m).key);
    else reply.status = status_of(abi::Error::InvalidArgument);
    ipc::Message out;
    ipc::pack(out, m.label, reply);
    return out;
}

/// kDelete: KeyRequest -> Status.
inline ipc::Message do_delete(State& s, const ipc::Message& m)
{
    if (!is_request<KeyRequest>(m)) return status_reply(m.label, abi::Error::InvalidArgument);
    Outcome outcome = remove(s, m.badge, ipc::unpack<KeyRequest>(m).key);
    signal_subscribers(s, outcome.signals);
    return status_reply(m.label, outcome.error);
}

/// kSubscribe: KeyRequest (a prefix) + exactly one notification capability -> Status.
/// `kept`: Set when the received capability is now held by a subscription (the caller
///             deletes received capabilities that are not kept).
inline ipc::Message do_subscribe(State& s, const ipc::Message& m, bool& kept)
{
    kept = false;
    if (m.length != sizeof(KeyRequest) / 8 || m.cap_count != 1)
        return status_reply(m.label, abi::Error::InvalidArgument);

    // The capability must be a notification we may signal.
    abi::CapSlot notification = m.send_caps[0];
    abi::CapInfo info{};
    if (sys::cap_identify(notification, &info) < 0) return status_reply(m.label, abi::Error::InvalidArgument);
    if (info.type != abi::ObjectType::Notification) return status_reply(m.label, abi::Error::WrongType);
    if (!(info.rights & abi::rights::kWrite)) return status_reply(m.label, abi::Error::InsufficientRights);

    abi::CapSlot replaced = abi::kNullSlot;
    abi::Error error = subscribe(s, m.badge, ipc::unpack<KeyRequest>(m).key, notification, replaced);
    if (error == abi::Error::None) kept = true;
    if (replaced != abi::kNullSlot) (void)sys::cap_delete(replaced);
    return status_reply(m.label, error);
}

/// kChanges: (nothing) -> ChangeList. ChangeList has no status field, so a malformed request
/// gets the generic one-word error reply.
inline ipc::Message do_changes(State& s, const ipc::Message& m)
{
    if (m.length != 0 || m.cap_count != 0) return service::error_reply(m.label, abi::Error::InvalidArgument);
    ipc::Message out;
    ipc::pack(out, m.label, take_changes(s, m.badge));
    return out;
}

/// Deletes the capabilities a message brought, from index `first` on: whatever a request
/// carries and we do not keep must not pile up in our capability table.
inline void release_caps(const ipc::Message& m, uint32_t first)
{
    for (uint32_t i = first; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
        if (m.send_caps[i] != abi::kNullSlot) (void)sys::cap_delete(m.send_caps[i]);
}

} // namespace ds
