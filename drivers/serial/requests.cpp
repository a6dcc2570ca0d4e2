/// \file requests.cpp
/// \brief The chardev requests: write to the UART, read the input buffer, subscribe a notification.
#include "handlers.hpp"
#include "protocols/chardev.hpp"
#include "sys.hpp"
#include "uart.hpp"

namespace serial {

namespace {

using protocol::chardev::Count;
using protocol::chardev::Data;
using protocol::chardev::kDataBytes;
using protocol::chardev::ReadRequest;

/// Whether `m` is exactly a `T` with no capabilities.
template <typename T>
bool is_request(const ipc::Message& m)
{
    return m.length == sizeof(T) / 8 && m.cap_count == 0;
}

ipc::Message count_reply(uint32_t label, uint32_t count, abi::Error error)
{
    ipc::Message out;
    ipc::pack(out, label, Count{count, static_cast<uint32_t>(error)});
    return out;
}

/// Whether `slot` may name a capability a client gave us (and so may be signalled or deleted):
/// never one of the slots RS fills, even if the state was corrupted.
bool received_slot(abi::CapSlot slot) { return slot >= kFirstReceivedSlot && slot < abi::kCapTableSlots; }

} // namespace

// [serial-do-write]
ipc::Message do_write(const ipc::Message& m)
{
    if (!is_request<Data>(m)) return count_reply(m.label, 0, abi::Error::InvalidArgument);
    Data d = ipc::unpack<Data>(m);
    if (d.length > kDataBytes) return count_reply(m.label, 0, abi::Error::InvalidArgument);
    uint32_t sent = uart::write(d.bytes, d.length);
    // Nothing sent although something was asked: the transmitter is stuck.
    abi::Error error = sent == 0 && d.length > 0 ? abi::Error::WouldBlock : abi::Error::None;
    return count_reply(m.label, sent, error);
}
// [serial-do-write]

ipc::Message do_read(State& s, const ipc::Message& m)
{
    Data reply{};
    if (is_request<ReadRequest>(m)) {
        uint32_t max = ipc::unpack<ReadRequest>(m).max;
        reply.length = s.input.pop(reply.bytes, max < kDataBytes ? max : kDataBytes);
    } else {
        reply.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    }
    ipc::Message out;
    ipc::pack(out, m.label, reply);
    return out;
}

ipc::Message do_subscribe(State& s, const ipc::Message& m, bool& kept)
{
    kept = false;
    if (m.length != 0 || m.cap_count != 1) return count_reply(m.label, 0, abi::Error::InvalidArgument);

    // (1) The capability must be a notification we may signal.
    abi::CapSlot slot = m.send_caps[0];
    abi::CapInfo info{};
    if (!received_slot(slot) || sys::cap_identify(slot, &info) < 0)
        return count_reply(m.label, 0, abi::Error::InvalidArgument);
    if (info.type != abi::ObjectType::Notification) return count_reply(m.label, 0, abi::Error::WrongType);
    if (!(info.rights & abi::rights::kWrite)) return count_reply(m.label, 0, abi::Error::InsufficientRights);

    // (2) Keep it; the capability it replaces (a re-subscription, or the oldest subscriber when
    // all are taken) goes.
    abi::CapSlot replaced = s.subscribers.add(Subscriber{slot, info.object_id, info.badge});
    kept = true;
    if (received_slot(replaced)) (void)sys::cap_delete(replaced);

    // (3) Input that arrived before the subscription would otherwise wait for the next byte.
    if (s.input.size() > 0) (void)sys::notify_signal(slot);
    return count_reply(m.label, 0, abi::Error::None);
}

void release_caps(const ipc::Message& m, uint32_t first)
{
    for (uint32_t i = first; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
        if (received_slot(m.send_caps[i])) (void)sys::cap_delete(m.send_caps[i]);
}

void signal_subscribers(const State& s)
{
    for (uint32_t i = 0; i < s.subscribers.used(); ++i)
        if (received_slot(s.subscribers.list[i].slot)) (void)sys::notify_signal(s.subscribers.list[i].slot);
}

} // namespace serial
