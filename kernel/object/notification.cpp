/// \file notification.cpp
/// \brief Signal, and the kernel timers that signal notifications.
#include "object/notification.hpp"
#include "core/clock.hpp"
#include "ipc/ipc.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<Notification> g_notifications{"notification"};
IntrusiveList<Notification, &Notification::timer_link> g_armed;
} // namespace

Result<Notification*> Notification::create() { return g_notifications.create(); }

void Notification::destroy(Notification* n)
{
    // The last capability went while threads wait here: nothing can signal them any more.
    while (Thread* waiter = n->waiters.front()) ipc::abort_wait(waiter, Error::Revoked);
    if (n->timer_link.is_linked()) g_armed.remove(n);
    g_notifications.destroy(n);
}

// [notification-signal]
void Notification::signal(uint64_t bits)
{
    word |= bits;
    if (Thread* waiter = waiters.front()) {
        uint64_t delivered = word;
        word = 0;
        ipc::complete_notification_wait(waiter, delivered);
    } else if (bound_thread && bound_thread->state == ThreadState::Blocked &&
               bound_thread->block_reason == BlockReason::Receive) {
        ipc::deliver_bound_notification(bound_thread);
    }
}
// [notification-signal]

void Notification::arm_timer(uint64_t ns, uint64_t period, uint64_t bits)
{
    if (timer_link.is_linked()) g_armed.remove(this);
    if (ns == 0) return;
    deadline_ns = clock::now_ns() + ns;
    period_ns = period;
    timer_bits = bits;
    g_armed.push_back(this);
}

void Notification::fire_timers(uint64_t now_ns)
{
    // Collect first: signalling can wake threads but never arms or disarms timers.
    Notification* due[32];
    unsigned count = 0;
    g_armed.for_each([&](Notification* n) {
        if (n->deadline_ns <= now_ns && count < 32) due[count++] = n;
    });
    for (unsigned i = 0; i < count; ++i) {
        Notification* n = due[i];
        if (n->period_ns) {
            n->deadline_ns += n->period_ns;
            if (n->deadline_ns <= now_ns) n->deadline_ns = now_ns + n->period_ns;  // We fell behind.
        } else {
            g_armed.remove(n);
        }
        n->signal(n->timer_bits);
    }
}
