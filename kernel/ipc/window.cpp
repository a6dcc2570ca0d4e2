/// \file window.cpp
/// \brief Lending a window at a call, and window_read / window_write: find the caller through the Reply, check, copy.
#include "ipc/window.hpp"
#include "core/process.hpp"
#include "core/thread.hpp"
#include "mm/address_space.hpp"
#include "object/reply.hpp"

namespace ipc {

// [ipc-lend-window]
void lend_window(Thread& caller, abi::MessageInfo info)
{
    caller.lent_window = abi::Window{};
    // A snapshot: what the caller writes into its IPC buffer later changes nothing.
    if (info.lends_window() && caller.ipc_buffer) caller.lent_window = caller.ipc_buffer->window;
}
// [ipc-lend-window]

// [ipc-window-copy]
Result<uint64_t> window_copy(Thread& self, abi::CapSlot reply_slot, uint64_t offset, uint64_t local,
                             uint64_t length, WindowDirection direction)
{
    // (1) Which call: the one this thread is answering, or a saved one (its Reply capability).
    Reply* reply = self.reply;
    if (reply_slot != abi::kNullSlot) {
        Capability* cap = TRY(self.process->caps.lookup(reply_slot, ObjectType::Reply, abi::rights::kWrite));
        reply = static_cast<Reply*>(cap->object);
    }
    Thread* caller = reply ? reply->caller : nullptr;
    if (!caller) return Error::PeerDied;

    // (2) What that call lent, for this direction, and the range inside it. The call's own
    // info word, in the caller's saved RSI until the reply overwrites it, says whether this call
    // lends a window at all: lent_window may be an earlier call's (the fast path takes calls that
    // lend nothing and records nothing, to stay as short as it is).
    const abi::Window& window = caller->lent_window;
    uint32_t needed = direction == WindowDirection::ToServer ? abi::window_rights::kServerReads
                                                              : abi::window_rights::kServerWrites;
    bool lends = abi::MessageInfo{caller->user_frame()->rsi}.lends_window() && !caller->kernel_message.pending;
    if (!lends || window.length == 0 || !(window.rights & needed)) return Error::InsufficientRights;
    if (length > abi::kMaxWindowCopy || offset > window.length || length > window.length - offset)
        return Error::InvalidArgument;

    // (3) The copy: both ranges are checked page by page before a byte moves.
    uint64_t remote = window.base + offset;
    if (direction == WindowDirection::ToServer)
        TRY(copy_between_spaces(self.process->space, local, caller->process->space, remote, length));
    else
        TRY(copy_between_spaces(caller->process->space, remote, self.process->space, local, length));
    return 0;
}
// [ipc-window-copy]

} // namespace ipc
