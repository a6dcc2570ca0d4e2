/// \file ipc.cpp
/// \brief The IPC slow path: send, call, receive, reply, notification waits, and kernel-sent messages.
#include "ipc/ipc.hpp"
#include "abi/ipc.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "ipc/transfer.hpp"
#include "ipc/window.hpp"
#include "object/endpoint.hpp"
#include "object/notification.hpp"
#include "object/reply.hpp"

namespace ipc {

namespace {

/// Turns the bound notification's word into a one-word kNotificationLabel message in `frame`.
void take_bound_notification(Thread& thread, TrapFrame& frame)
{
    Notification* n = thread.bound_notification;
    frame.rsi = abi::MessageInfo::make(abi::kNotificationLabel, 1).raw;
    frame.rdi = 0;
    frame.rdx = n->word;
    n->word = 0;
    if (thread.ipc_buffer) thread.ipc_buffer->received_cap_count = 0;
}

/// Blocks the current thread for `reason` and returns what its waker decided.
Result<uint64_t> block_for(Thread& self, BlockReason reason)
{
    self.block_reason = reason;
    self.ipc_result = Error::None;
    scheduler::block_current();
    if (self.ipc_result != Error::None) return self.ipc_result;
    return 0;
}

/// Wakes a partner whose system call succeeded.
void wake_ok(Thread* t)
{
    // The result goes into the frame too: a thread blocked in the fast path returns from there.
    t->ipc_result = Error::None;
    t->user_frame()->rax = 0;
    t->ipc_endpoint = nullptr;
    t->ipc_notification = nullptr;
    scheduler::wake(t);
}

// [ipc-finish-sender]
/// Records `caller` as the one `server` must answer next. A server that receives a new call
/// without answering the previous one drops it: that caller is told, rather than left waiting.
void await_reply(Thread& server, Thread* caller)
{
    if (Thread* dropped = server.reply->caller; dropped && dropped != caller) {
        server.reply->caller = nullptr;
        dropped->ipc_reply = nullptr;
        abort_wait(dropped, Error::ReplyDropped);
    }
    server.reply->caller = caller;
    caller->ipc_reply = server.reply;
}

/// Step (5) for a sender whose message a receiver has just taken.
void finish_sender(Thread* sender, Thread& receiver)
{
    sender->ipc_endpoint = nullptr;
    if (sender->kernel_message.pending && sender->kernel_message.label == abi::kExitLabel) {
        // The exit message was the dying thread's last act.
        sender->kernel_message.pending = false;
        scheduler::kill(sender);
    } else if (sender->ipc_is_call) {
        // The caller now waits for the reply, which the receiver's Reply object will carry.
        await_reply(receiver, sender);
        sender->block_reason = BlockReason::Reply;
    } else {
        wake_ok(sender);
    }
}
// [ipc-finish-sender]

} // namespace

// [ipc-send]
Result<uint64_t> send(Thread& self, TrapFrame& frame, SendKind kind)
{
    // (1) The endpoint capability, with the Write right.
    Capability* cap = TRY(self.process->caps.lookup(static_cast<abi::CapSlot>(frame.rdi), ObjectType::Endpoint,
                                                    abi::rights::kWrite));
    // (2) The message itself.
    abi::MessageInfo info{frame.rsi};
    TRY(check_message(self, info, cap->rights));
    auto* endpoint = static_cast<Endpoint*>(cap->object);
    // A call may lend the server a window of its memory (window.hpp); any other message lends none.
    lend_window(self, kind == SendKind::Call ? info : abi::MessageInfo{0});

    // (3) A receiver already waiting gets the message now...
    if (Thread* receiver = endpoint->receivers.pop_front()) {
        // (4) Transfer, then (5) wake the receiver.
        transfer(self, *receiver, cap->badge, cap->rights);
        wake_ok(receiver);
        if (kind != SendKind::Call) return 0;
        await_reply(*receiver, &self);
        return block_for(self, BlockReason::Reply);
    }
    // ...otherwise the sender queues up, unless it asked never to block.
    if (kind == SendKind::NonBlockingSend) return Error::WouldBlock;
    self.ipc_endpoint = endpoint;
    self.ipc_badge = cap->badge;
    self.ipc_rights = cap->rights;
    self.ipc_is_call = kind == SendKind::Call;
    endpoint->senders.push_back(&self);
    // For a call, the receiver turns the wait into a Reply wait; the result arrives with the reply.
    return block_for(self, BlockReason::Send);
}
// [ipc-send]

// [ipc-receive]
Result<uint64_t> receive(Thread& self, TrapFrame& frame)
{
    // (1) The endpoint capability, with the Read right. Receiving makes us its server.
    Capability* cap = TRY(self.process->caps.lookup(static_cast<abi::CapSlot>(frame.rdi), ObjectType::Endpoint,
                                                    abi::rights::kRead));
    auto* endpoint = static_cast<Endpoint*>(cap->object);
    endpoint->server = self.process;

    // A signal already pending on our bound notification is delivered first, as a message.
    if (self.bound_notification && self.bound_notification->word) {
        take_bound_notification(self, frame);
        return 0;
    }

    // (3) Take the oldest waiting sender, (4) transfer and (5) release it...
    if (Thread* sender = endpoint->senders.pop_front()) {
        transfer(*sender, self, sender->ipc_badge, sender->ipc_rights);
        finish_sender(sender, self);
        return 0;
    }
    // ...or wait for one; the sender transfers into our registers before waking us.
    self.ipc_endpoint = endpoint;
    endpoint->receivers.push_back(&self);
    return block_for(self, BlockReason::Receive);
}
// [ipc-receive]

/// Answers the call `reply` holds, if any, with the message in `self`'s registers and buffer.
static void answer(Thread& self, Reply& reply)
{
    Thread* caller = reply.caller;
    if (!caller) return;
    reply.caller = nullptr;
    caller->ipc_reply = nullptr;
    // A thread stopped by a fault resumes where it faulted with its registers untouched: its
    // frame is the exception frame, not a system call waiting for a reply.
    if (caller->kernel_message.pending) {
        caller->kernel_message.pending = false;
        caller->ipc_result = Error::None;
        scheduler::wake(caller);  // Not wake_ok: that would write RAX into the exception frame.
    } else {
        transfer(self, *caller, 0, abi::rights::kGrant);
        wake_ok(caller);
    }
}

// [ipc-reply-receive]
Result<uint64_t> reply_receive(Thread& self, TrapFrame& frame)
{
    // The reply is checked like any message; a bad one fails before anything happens.
    abi::MessageInfo info{frame.rsi};
    TRY(check_message(self, info, abi::rights::kGrant));
    answer(self, *self.reply);
    return receive(self, frame);
}
// [ipc-reply-receive]

// [ipc-reply-save]
Result<uint64_t> reply_save(Thread& self)
{
    // (1) There must be a call to save: one received and not yet answered.
    Thread* caller = self.reply->caller;
    if (!caller) return Error::InvalidArgument;
    // (2) A fresh Reply object takes the caller over, and a capability to it goes in our table.
    Reply* saved = TRY(Reply::create());  // Its creator's reference becomes the capability's.
    auto slot = self.process->caps.insert({saved, abi::rights::kWrite, 0}, nullptr);
    if (slot.is_error()) {
        object_release(saved);
        return slot.error();
    }
    // (3) Move the caller: our own Reply is empty again, so taking the next call drops nobody.
    self.reply->caller = nullptr;
    saved->caller = caller;
    saved->owner = &self;
    caller->ipc_reply = saved;
    return slot.value();
}
// [ipc-reply-save]

// [ipc-reply-saved]
Result<uint64_t> reply_saved(Thread& self, TrapFrame& frame)
{
    // (1) The Reply capability, with the Write right, and (2) the message, checked as any reply.
    auto reply_slot = static_cast<abi::CapSlot>(frame.rdi);
    Capability* cap = TRY(self.process->caps.lookup(reply_slot, ObjectType::Reply, abi::rights::kWrite));
    abi::MessageInfo info{frame.rsi};
    TRY(check_message(self, info, abi::rights::kGrant));
    // (3) Answer the caller if it is still there, then (4) the capability is used up.
    auto* saved = static_cast<Reply*>(cap->object);
    bool answered = saved->caller != nullptr;
    answer(self, *saved);
    TRY(self.process->caps.remove(reply_slot));
    if (!answered) return Error::PeerDied;
    return 0;
}
// [ipc-reply-saved]

void reply_dying(Reply& reply)
{
    if (Thread* caller = reply.caller) {
        reply.caller = nullptr;
        caller->ipc_reply = nullptr;
        abort_wait(caller, Error::PeerDied);
    }
}

Result<uint64_t> notification_wait(Thread& self, TrapFrame& frame, bool blocking)
{
    Capability* cap = TRY(self.process->caps.lookup(static_cast<abi::CapSlot>(frame.rdi),
                                                    ObjectType::Notification, abi::rights::kRead));
    auto* notification = static_cast<Notification*>(cap->object);
    if (notification->word != 0 || !blocking) {
        frame.rdi = notification->word;
        notification->word = 0;
        return 0;
    }
    self.ipc_notification = notification;
    notification->waiters.push_back(&self);
    return block_for(self, BlockReason::Notification);
}

void deliver_bound_notification(Thread* thread)
{
    thread->ipc_endpoint->receivers.remove(thread);
    take_bound_notification(*thread, *thread->user_frame());
    wake_ok(thread);
}

void complete_notification_wait(Thread* waiter, uint64_t word)
{
    waiter->ipc_notification->waiters.remove(waiter);
    waiter->user_frame()->rdi = word;
    wake_ok(waiter);
}

// [ipc-leave-ipc]
/// Takes `t` off whatever IPC queue it is on, and out of a pending call.
static void leave_ipc(Thread* t)
{
    // A thread is on at most one wait queue, through ipc_link; its block reason says whose. A
    // thread already taken off its queue (a sender just received, say) is simply not linked.
    if (t->ipc_link.is_linked()) {
        if (t->block_reason == BlockReason::Send && t->ipc_endpoint) t->ipc_endpoint->senders.remove(t);
        else if (t->block_reason == BlockReason::Receive && t->ipc_endpoint) t->ipc_endpoint->receivers.remove(t);
        else if (t->block_reason == BlockReason::Notification && t->ipc_notification)
            t->ipc_notification->waiters.remove(t);
    }
    // A call in progress: the server must not answer a thread that has left.
    if (t->ipc_reply) {
        if (t->ipc_reply->caller == t) t->ipc_reply->caller = nullptr;
        t->ipc_reply = nullptr;
    }
    t->ipc_endpoint = nullptr;
    t->ipc_notification = nullptr;
    if (t->block_reason == BlockReason::Send || t->block_reason == BlockReason::Receive ||
        t->block_reason == BlockReason::Reply || t->block_reason == BlockReason::Notification)
        t->block_reason = BlockReason::None;
}
// [ipc-leave-ipc]

// [ipc-abort-wait]
void abort_wait(Thread* t, Error error)
{
    leave_ipc(t);
    KernelMessage& km = t->kernel_message;
    if (km.pending) {
        // A kernel message nobody will take: an exit just finishes the thread; an unhandled
        // fault kills the process, as if it had no fault endpoint.
        km.pending = false;
        if (km.label == abi::kExitLabel) {
            scheduler::kill(t);
        } else {
            abi::ExitInfo info{};
            info.reason = static_cast<uint32_t>(abi::ExitReason::Faulted);
            info.vector = km.words[0];
            info.error_code = km.words[1];
            info.rip = km.words[2];
            info.cr2 = km.words[3];
            t->process->terminate(info);
        }
        return;
    }
    t->ipc_result = error;
    t->user_frame()->rax = static_cast<uint64_t>(-static_cast<int64_t>(error));
    scheduler::wake(t);
}
// [ipc-abort-wait]

// [ipc-thread-dying]
void thread_dying(Thread* t)
{
    leave_ipc(t);
    // A server that dies holding a call: the caller learns its server is gone.
    if (t->reply && t->reply->caller) {
        Thread* caller = t->reply->caller;
        t->reply->caller = nullptr;
        caller->ipc_reply = nullptr;
        abort_wait(caller, Error::PeerDied);
    }
}
// [ipc-thread-dying]

// [ipc-send-fault-message]
bool send_fault_message(Thread* thread, const TrapFrame& frame, uint64_t cr2)
{
    Endpoint* endpoint = thread->fault_endpoint;
    if (!endpoint) return false;
    thread->kernel_message = KernelMessage{true, abi::kFaultLabel, {frame.vector, frame.error_code, frame.rip, cr2}};
    thread->lent_window = abi::Window{};  // A fault lends the handler none of our memory.
    thread->ipc_badge = thread->fault_badge;
    thread->ipc_rights = 0;
    thread->ipc_is_call = true;
    if (Thread* receiver = endpoint->receivers.pop_front()) {
        transfer(*thread, *receiver, thread->fault_badge, 0);
        wake_ok(receiver);
        await_reply(*receiver, thread);
        thread->block_reason = BlockReason::Reply;
    } else {
        thread->ipc_endpoint = endpoint;
        endpoint->senders.push_back(thread);
        thread->block_reason = BlockReason::Send;
    }
    // Suspended until the handler replies (the faulting instruction is then retried) or kills us.
    scheduler::block_current();
    return true;
}
// [ipc-send-fault-message]

// [ipc-send-exit-message]
void send_exit_message(Thread* thread, int code)
{
    Endpoint* endpoint = thread->fault_endpoint;
    thread->kernel_message = KernelMessage{true, abi::kExitLabel, {static_cast<uint64_t>(code), 0, 0, 0}};
    thread->ipc_badge = thread->fault_badge;
    thread->ipc_rights = 0;
    thread->ipc_is_call = false;
    if (Thread* receiver = endpoint->receivers.pop_front()) {
        transfer(*thread, *receiver, thread->fault_badge, 0);
        wake_ok(receiver);
        thread->kernel_message.pending = false;
        scheduler::kill(thread);
        return;
    }
    // Nobody is listening yet: the dying thread waits in the queue; whoever receives the
    // message finishes it off (finish_sender).
    thread->ipc_endpoint = endpoint;
    endpoint->senders.push_back(thread);
    thread->block_reason = BlockReason::Send;
    if (thread == scheduler::current()) scheduler::block_current();
    else thread->state = ThreadState::Blocked;
}
// [ipc-send-exit-message]

} // namespace ipc
