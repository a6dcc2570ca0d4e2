/// \file transfer.cpp
/// \brief Message checks and the copy from sender to receiver.
#include "ipc/transfer.hpp"
#include "core/process.hpp"
#include "core/thread.hpp"
#include "lib/string.hpp"

namespace ipc {

// [ipc-check-message]
Result<void> check_message(Thread& sender, abi::MessageInfo info, uint32_t endpoint_rights)
{
    // LAB 3 BEGIN SOLUTION
    // LAB 3 STUB: (void)sender;
    // LAB 3 STUB: (void)info;
    // LAB 3 STUB: (void)endpoint_rights;
    // LAB 3 STUB: return {};  // Accepts every message, so the rest of IPC works while you write transfer().
    if (info.words() > abi::kMaxMessageWords) return Error::MessageTooLong;
    if (info.caps() > abi::kMaxMessageCaps) return Error::TooManyCapabilities;
    if (info.caps() == 0) return {};
    if (!(endpoint_rights & abi::rights::kGrant)) return Error::InsufficientRights;
    if (!sender.ipc_buffer) return Error::InvalidArgument;
    for (uint32_t i = 0; i < info.caps(); ++i)
        TRY(sender.process->caps.lookup(sender.ipc_buffer->send_caps[i], ObjectType::None, 0));
    return {};
    // LAB 3 END SOLUTION
}
// [ipc-check-message]

// [ipc-transfer]
void transfer(Thread& sender, Thread& receiver, uint64_t badge, uint32_t rights)
{
    // LAB 3 BEGIN SOLUTION
    // LAB 3 STUB: (void)sender;
    // LAB 3 STUB: (void)receiver;
    // LAB 3 STUB: (void)badge;
    // LAB 3 STUB: (void)rights;
    TrapFrame& to = *receiver.user_frame();
    uint32_t label, words, caps = 0;
    if (sender.kernel_message.pending) {
        // A fault or exit message composed by the kernel.
        label = sender.kernel_message.label;
        words = label == abi::kExitLabel ? 1 : 4;
        to.rdx = sender.kernel_message.words[0];
        to.r10 = sender.kernel_message.words[1];
        to.r8 = sender.kernel_message.words[2];
        to.r9 = sender.kernel_message.words[3];
    } else {
        // Words 0..3 from the sender's registers, the rest from its IPC buffer.
        TrapFrame& from = *sender.user_frame();
        abi::MessageInfo info{from.rsi};
        label = info.label();
        words = info.words();
        to.rdx = from.rdx;
        to.r10 = from.r10;
        to.r8 = from.r8;
        to.r9 = from.r9;
        if (words > abi::kRegisterWords && sender.ipc_buffer && receiver.ipc_buffer)
            memcpy(&receiver.ipc_buffer->words[abi::kRegisterWords], &sender.ipc_buffer->words[abi::kRegisterWords],
                   (words - abi::kRegisterWords) * sizeof(uint64_t));
        // Capabilities: copies (children of the sender's) in the receiver's free slots.
        if ((rights & abi::rights::kGrant) && receiver.ipc_buffer) {
            for (uint32_t i = 0; i < info.caps(); ++i) {
                CapEntry* src = sender.process->caps.slot_at(sender.ipc_buffer->send_caps[i]);
                if (!src || src->state != CapEntry::State::Full) break;
                auto slot = receiver.process->caps.derive(src, abi::rights::kAll, 0);
                if (slot.is_error()) break;
                receiver.ipc_buffer->received_caps[caps++] = slot.value();
            }
        }
        if (receiver.ipc_buffer) receiver.ipc_buffer->received_cap_count = caps;
    }
    to.rsi = abi::MessageInfo::make(label, words, caps).raw;
    to.rdi = badge;
    // LAB 3 END SOLUTION
}
// [ipc-transfer]

} // namespace ipc
