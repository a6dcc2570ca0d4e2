/// \file window.hpp
/// \brief Windows: memory a call lends to its server for bulk data, and the checked copies through them.
///
/// Messages carry at most 64 words. A read() of 64 KiB, or a disk driver's 128 KiB of sectors,
/// goes through a *window* instead: the caller describes a range of its own memory in its IPC
/// buffer (abi::Window) and makes its call with MessageInfo::kLendsWindow. While the server holds
/// that call (in its own Reply object, or saved with reply_save), and only then, it may copy:
///
///     window_read(reply, offset, dst, len)    caller's window[offset..+len) -> server's dst
///     window_write(reply, offset, src, len)   server's src -> caller's window[offset..+len)
///
/// `reply` is kNullSlot for the call the server thread is answering now, or a Reply capability
/// from reply_save. The kernel copies page by page through the physical map, after checking both
/// ranges; nothing is mapped into the server, so the loan ends with the reply. The rules:
/// - a call lends only what it says (rights: the server reads, writes, or both);
/// - a call without the flag lends nothing, and neither does a fault message;
/// - every byte is inside the window and mapped in both address spaces, or nothing is copied.
///
/// Errors: PeerDied (no caller waits on that reply: it died, or there was no call),
/// InsufficientRights (the call lent no window, or not for this direction), InvalidArgument
/// (outside the window, or more than abi::kMaxWindowCopy), BadAddress (a page on either side is
/// not mapped, or not writable where written), and the capability errors for `reply`.
#pragma once

#include "abi/ipc.hpp"
#include "lib/result.hpp"
#include <stdint.h>

struct Thread;

namespace ipc {

/// At every call the slow path takes: records the window the call lends (from the caller's
/// IPC buffer) in `caller`, or none. The fast path takes no call that lends a window; whether
/// the call being served lends one is its info word's bit, which stays in the caller's saved
/// registers until the reply.
void lend_window(Thread& caller, abi::MessageInfo info);

enum class WindowDirection { ToServer, ToCaller };

/// window_read (ToServer) and window_write (ToCaller) for the server thread `self`.
Result<uint64_t> window_copy(Thread& self, abi::CapSlot reply, uint64_t offset, uint64_t local, uint64_t length,
                             WindowDirection direction);

} // namespace ipc
