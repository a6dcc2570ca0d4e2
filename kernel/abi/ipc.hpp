/// \file ipc.hpp
/// \brief The IPC message format: the info word, message registers, the IPC buffer and kernel-sent messages.
///
/// A message has a label (what the sender wants, e.g. a protocol opcode), up to 64 words and up
/// to 4 capabilities. Words 0..3 travel in registers (the fast path); words 4..63 and the
/// capabilities go through the sender's and receiver's IPC buffers (the slow path).
/// Bulk data does not travel in messages: a call can *lend a window* of the caller's memory,
/// which the server reads or writes with window_read/window_write until it answers (see Window).
///
/// Register use for the IPC system calls (see abi/syscalls.hpp):
///   in:  RDI = endpoint slot, RSI = MessageInfo, RDX/R10/R8/R9 = words 0..3
///   out: RAX = 0 or a negated Error, RSI = MessageInfo, RDI = badge of the sender's capability,
///        RDX/R10/R8/R9 = words 0..3
#pragma once

#include "abi/capability.hpp"
#include <stdint.h>

namespace abi {

inline constexpr uint32_t kMaxMessageWords = 64;
inline constexpr uint32_t kRegisterWords = 4;
inline constexpr uint32_t kMaxMessageCaps = 4;

/// Packs label, length and capability count into one register.
///   bits 0..6   length in words (0..64)
///   bits 8..10  number of capabilities (0..4)
///   bit  11     (ipc_call only) the call lends the window described in the IPC buffer
///   bits 32..63 label
struct MessageInfo {
    uint64_t raw;

    static constexpr MessageInfo make(uint32_t label, uint32_t words, uint32_t caps = 0)
    {
        return MessageInfo{(uint64_t(label) << 32) | ((uint64_t(caps) & 0x7) << 8) | (uint64_t(words) & 0x7f)};
    }
    constexpr uint32_t label() const { return static_cast<uint32_t>(raw >> 32); }
    constexpr uint32_t words() const { return static_cast<uint32_t>(raw & 0x7f); }
    constexpr uint32_t caps() const { return static_cast<uint32_t>((raw >> 8) & 0x7); }
    constexpr bool lends_window() const { return (raw & kLendsWindow) != 0; }

    static constexpr uint64_t kLendsWindow = 1ull << 11;
    /// Capabilities or a window: either sends a call down the slow path (one test of bits 8..11).
    static constexpr uint64_t kCapsOrWindow = (0x7ull << 8) | kLendsWindow;
};

/// A window: part of the caller's memory that a call lends to the server that receives it, for
/// bulk data (a 64 KiB read() does not fit in 64 words). The caller describes it in its IPC
/// buffer and sets MessageInfo::kLendsWindow on the call; the kernel takes a copy at the call.
/// The server then copies to and from it with window_read / window_write, naming the call by
/// its Reply (the one it is answering, or a saved one), and only until it replies: the loan
/// ends with the call. The server never maps the memory, so it cannot keep it (QNX's
/// MsgRead/MsgWrite, MINIX's safecopies with a grant per call).
struct Window {
    uint64_t base;    ///< First byte, in the caller's address space.
    uint64_t length;  ///< Bytes; 0 = no window.
    uint32_t rights;  ///< window_rights:: what the server may do.
    uint32_t reserved;
};

namespace window_rights {
inline constexpr uint32_t kServerReads = 1;   ///< window_read: data for the server (a write()).
inline constexpr uint32_t kServerWrites = 2;  ///< window_write: room for the server's data (a read()).
} // namespace window_rights

/// The most bytes one window_read or window_write copies (the kernel copies with interrupts
/// off; larger transfers are several copies).
inline constexpr uint64_t kMaxWindowCopy = 1ull << 20;

/// The per-thread IPC buffer: one page the kernel maps for every thread, at a fixed place in the
/// thread's process (libsys finds it with `ipc_buffer()`).
struct IpcBuffer {
    uint64_t words[kMaxMessageWords];   ///< Words 4..63 of a message (0..3 are in registers).
    CapSlot send_caps[kMaxMessageCaps]; ///< Slots of the capabilities to send.
    CapSlot received_caps[kMaxMessageCaps];  ///< Where the kernel put the capabilities received.
    uint32_t received_cap_count;
    uint32_t reserved;
    Window window;  ///< What the next call with MessageInfo::kLendsWindow lends.
};
static_assert(sizeof(IpcBuffer) <= 4096);

/// Where the main thread's IPC buffer is mapped in every process.
inline constexpr uint64_t kIpcBufferAddress = 0x00007ffffe000000ull;

/// Labels of messages the kernel itself sends to a fault endpoint.
inline constexpr uint32_t kFaultLabel = 0xfa017;  ///< words: vector, error code, rip, cr2
inline constexpr uint32_t kExitLabel = 0xe817;    ///< words: exit code
/// What a receive returns when the thread's bound notification was signalled instead of a
/// message arriving: one word, the notification word (seL4's bound notifications). A server can
/// so wait for client calls, interrupts, timers and heartbeats at once.
inline constexpr uint32_t kNotificationLabel = 0xb0d;

} // namespace abi
