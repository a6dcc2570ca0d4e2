/// \file notification.hpp
/// \brief Notification: an asynchronous word of bits that signals OR into and a wait collects.
///
/// `signal` ORs the badge of the signaller's capability (1 if it has none) into the word; `wait`
/// returns the word and clears it, blocking while it is zero; `poll` is a wait that never blocks.
/// Interrupts (IrqLine) and kernel timers signal notifications too, so one thread can wait for
/// IRQs, timeouts and other threads with a single call.
#pragma once

#include "core/thread.hpp"
#include "lib/list.hpp"
#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Notification : KernelObject {
    static constexpr ObjectType kType = ObjectType::Notification;

    Notification() : KernelObject(kType) {}

    uint64_t word = 0;
    IntrusiveList<Thread, &Thread::ipc_link> waiters;
    Thread* bound_thread = nullptr;  ///< A thread whose receives also end on our signals.
    // A kernel timer bound to this notification (timer_arm): fires at `deadline_ns`, then every
    // `period_ns` if non-zero, signalling `timer_bits`.
    uint64_t deadline_ns = 0;
    uint64_t period_ns = 0;
    uint64_t timer_bits = 0;
    ListNode timer_link;

    static Result<Notification*> create();
    static void destroy(Notification* notification);

    /// ORs `bits` into the word and wakes the first waiter with the whole word; with no waiter,
    /// a bound thread blocked in receive gets the word as a kNotificationLabel message.
    void signal(uint64_t bits);
    /// Arms (or with ns == 0, disarms) the timer.
    void arm_timer(uint64_t ns, uint64_t period_ns, uint64_t bits);
    /// Fires every armed timer whose deadline has passed (called from the timer interrupt).
    static void fire_timers(uint64_t now_ns);
};
