/// \file notification_bind.cpp
/// \brief `notification_bind(thread, ntfn)`: the thread's receives also end when the notification is signalled (ntfn 0: unbind).
///
/// A server or driver can so wait for client calls and for interrupts, timers or heartbeats in
/// one receive: a signal arrives as a message labelled abi::kNotificationLabel with the word in
/// word 0. A notification is bound to at most one thread (Busy otherwise).
#include "core/process.hpp"
#include "core/thread.hpp"
#include "object/notification.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_notification_bind(SyscallContext& ctx)
{
    Capability* tcap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Thread,
                                                   abi::rights::kManage));
    auto* thread = static_cast<Thread*>(tcap->object);
    if (thread->state == ThreadState::Dead) return Error::PeerDied;
    Notification* notification = nullptr;
    if (ctx.arg(1) != abi::kNullSlot) {
        Capability* ncap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(1)),
                                                       ObjectType::Notification, abi::rights::kRead));
        notification = static_cast<Notification*>(ncap->object);
        if (notification->bound_thread && notification->bound_thread != thread) return Error::Busy;
    }
    if (Notification* old = thread->bound_notification) {
        old->bound_thread = nullptr;
        thread->bound_notification = nullptr;
        object_release(old);
    }
    if (notification) {
        object_retain(notification);
        notification->bound_thread = thread;
        thread->bound_notification = notification;
    }
    return 0;
}

} // namespace syscalls
