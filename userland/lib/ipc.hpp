/// \file ipc.hpp
/// \brief Typed IPC for user space: messages, call/reply/receive wrappers, and the protocol-header convention.
///
/// A protocol is one header in userland/lib/protocols/: fixed-size request and reply structs
/// with `static_assert`ed sizes (so a server and its clients cannot disagree on a layout) and a
/// typed client class. Messages of up to 4 words travel in registers (the fast path); longer ones
/// use the IPC buffer, which `Message` hides.
#pragma once

#include "lib/string.hpp"
#include "sys.hpp"
#include <stdint.h>

namespace ipc {

/// A message: label, up to 64 words, and on receipt the sender's badge.
struct Message {
    uint32_t label = 0;
    uint32_t length = 0;       ///< Words used.
    uint32_t cap_count = 0;    ///< Capabilities sent (slots in send_caps) or received (in the IPC buffer).
    uint64_t badge = 0;        ///< Received: the badge of the sender's capability.
    uint64_t words[abi::kMaxMessageWords] = {};
    abi::CapSlot send_caps[abi::kMaxMessageCaps] = {};
    /// A call only: memory lent to the server until it answers (length 0: none). See lend().
    abi::Window window = {};
};

/// Lends `length` bytes at `base` with a call: `rights` (abi::window_rights) say whether the
/// server may read them (data for it, as in write()) or write them (room for its answer, as in
/// read()). The server copies with sys::window_read / sys::window_write; nothing is mapped.
inline void lend(Message& m, const void* base, uint64_t length, uint32_t rights)
{
    m.window = abi::Window{reinterpret_cast<uint64_t>(base), length, rights, 0};
}

/// The outcome of an IPC call: an error (None on success) and the message received.
struct Result {
    abi::Error error;
    Message message;
    bool ok() const { return error == abi::Error::None; }
};

namespace detail {
/// Stages words 4.. and capabilities in the IPC buffer, and returns the info word.
inline uint64_t stage(const Message& m)
{
    abi::IpcBuffer& buffer = sys::ipc_buffer();
    for (uint32_t i = abi::kRegisterWords; i < m.length && i < abi::kMaxMessageWords; ++i) buffer.words[i] = m.words[i];
    for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i) buffer.send_caps[i] = m.send_caps[i];
    uint64_t info = abi::MessageInfo::make(m.label, m.length, m.cap_count).raw;
    if (m.window.length == 0) return info;
    buffer.window = m.window;
    return info | abi::MessageInfo::kLendsWindow;
}

/// Turns the returned registers (and the IPC buffer) back into a Message.
inline Result unstage(const sys::raw::IpcRegisters& r)
{
    Result out{sys::error_of(r.status), {}};
    if (!out.ok()) return out;
    abi::MessageInfo info{r.info};
    Message& m = out.message;
    m.label = info.label();
    m.length = info.words();
    m.cap_count = info.caps();
    m.badge = r.badge;
    for (uint32_t i = 0; i < abi::kRegisterWords; ++i) m.words[i] = r.w[i];
    abi::IpcBuffer& buffer = sys::ipc_buffer();
    for (uint32_t i = abi::kRegisterWords; i < m.length && i < abi::kMaxMessageWords; ++i) m.words[i] = buffer.words[i];
    for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i) m.send_caps[i] = buffer.received_caps[i];
    return out;
}

inline sys::raw::IpcRegisters invoke(abi::Syscall s, abi::CapSlot slot, const Message& m)
{
    uint64_t info = stage(m);
    return sys::raw::ipc(sys::number(s), slot, info, m.words[0], m.words[1], m.words[2], m.words[3]);
}
} // namespace detail

/// Sends `m` on `endpoint` and waits for the reply.
inline Result call(abi::CapSlot endpoint, const Message& m)
{
    return detail::unstage(detail::invoke(abi::Syscall::ipc_call, endpoint, m));
}
/// Sends `m`, waiting for a receiver.
inline abi::Error send(abi::CapSlot endpoint, const Message& m)
{
    return sys::error_of(detail::invoke(abi::Syscall::ipc_send, endpoint, m).status);
}
/// Sends `m` only if a receiver is waiting (else WouldBlock); never blocks.
inline abi::Error try_send(abi::CapSlot endpoint, const Message& m)
{
    return sys::error_of(detail::invoke(abi::Syscall::ipc_nb_send, endpoint, m).status);
}
/// Waits for a message on `endpoint`.
inline Result receive(abi::CapSlot endpoint)
{
    return detail::unstage(sys::raw::ipc(sys::number(abi::Syscall::ipc_recv), endpoint, 0, 0, 0, 0, 0));
}
/// Replies to the last caller with `reply`, then waits for the next message on `endpoint`.
inline Result reply_receive(abi::CapSlot endpoint, const Message& reply)
{
    return detail::unstage(detail::invoke(abi::Syscall::ipc_reply_recv, endpoint, reply));
}

/// Answers a call saved with sys::reply_save, and deletes the Reply capability. PeerDied if the
/// caller has gone in the meantime (the capability is deleted all the same).
inline abi::Error reply_saved(abi::CapSlot reply, const Message& m)
{
    return sys::error_of(detail::invoke(abi::Syscall::reply_send, reply, m).status);
}

/// A message with a label and up to four words, the common case.
inline Message make(uint32_t label, uint32_t length = 0, uint64_t w0 = 0, uint64_t w1 = 0, uint64_t w2 = 0,
                    uint64_t w3 = 0)
{
    Message m;
    m.label = label;
    m.length = length;
    m.words[0] = w0;
    m.words[1] = w1;
    m.words[2] = w2;
    m.words[3] = w3;
    return m;
}

/// Copies a fixed-size protocol struct into a message's words (and back), for protocols whose
/// messages are structs. sizeof(T) must be a multiple of 8 and at most 64 words.
template <typename T>
void pack(Message& m, uint32_t label, const T& body)
{
    static_assert(sizeof(T) % 8 == 0 && sizeof(T) <= sizeof(m.words), "protocol structs are whole words");
    m.label = label;
    m.length = sizeof(T) / 8;
    memcpy(m.words, &body, sizeof(T));
}
template <typename T>
T unpack(const Message& m)
{
    static_assert(sizeof(T) % 8 == 0 && sizeof(T) <= sizeof(m.words), "protocol structs are whole words");
    T body;
    memcpy(&body, m.words, sizeof(T));
    return body;
}

} // namespace ipc
