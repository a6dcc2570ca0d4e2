/// \file run_queues.hpp
/// \brief The scheduler's ready queues: one FIFO per priority and a bitmap of the non-empty ones.
///
/// Picking the next thread is "highest set bit, then the front of that queue": constant time,
/// and round-robin within a priority because a preempted thread goes to the back. Pure logic
/// (a template over the thread type), so host tests drive it with plain structs.
#pragma once

#include "lib/list.hpp"
#include <stdint.h>

inline constexpr unsigned kPriorityLevels = 32;  ///< Priorities 0 (lowest) .. 31 (highest).

template <typename T, ListNode T::*Link>
class RunQueues {
public:
    /// Queues `t` at the back of priority `priority` (clamped to the top level).
    void enqueue(T* t, unsigned priority)
    {
        if (priority >= kPriorityLevels) priority = kPriorityLevels - 1;
        m_queues[priority].push_back(t);
        m_nonempty |= 1u << priority;
    }

    /// Removes and returns the front of the highest non-empty queue, or nullptr.
    T* dequeue_highest()
    {
        if (m_nonempty == 0) return nullptr;
        unsigned top = 31 - __builtin_clz(m_nonempty);
        T* t = m_queues[top].pop_front();
        if (m_queues[top].is_empty()) m_nonempty &= ~(1u << top);
        return t;
    }

    /// Takes `t` out of priority `priority`'s queue (it must be there).
    void remove(T* t, unsigned priority)
    {
        if (priority >= kPriorityLevels) priority = kPriorityLevels - 1;
        m_queues[priority].remove(t);
        if (m_queues[priority].is_empty()) m_nonempty &= ~(1u << priority);
    }

    /// The highest priority with a ready thread, or -1.
    int highest_priority() const { return m_nonempty ? 31 - __builtin_clz(m_nonempty) : -1; }
    bool is_empty() const { return m_nonempty == 0; }
    size_t count(unsigned priority) const
    {
        return m_queues[priority < kPriorityLevels ? priority : kPriorityLevels - 1].size();
    }

private:
    IntrusiveList<T, Link> m_queues[kPriorityLevels];
    uint32_t m_nonempty = 0;  ///< Bit p set iff m_queues[p] is not empty.
};
