/// \file list.hpp
/// \brief An intrusive doubly linked list: the node lives inside the object, so linking never allocates.
///
/// `IntrusiveList<Thread, &Thread::run_link>` links threads through their `run_link` member. An
/// object can be on as many lists at once as it has ListNode members.
#pragma once

#include <stddef.h>

struct ListNode {
    ListNode* prev = nullptr;
    ListNode* next = nullptr;
    bool is_linked() const { return next != nullptr; }
};

template <typename T, ListNode T::*Link>
class IntrusiveList {
public:
    IntrusiveList() { m_head.prev = m_head.next = &m_head; }
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool is_empty() const { return m_head.next == &m_head; }
    size_t size() const { return m_size; }

    /// Appends `item`, which must not be on this list (or any list through the same node).
    void push_back(T* item) { insert_before(&m_head, &(item->*Link)); }
    void push_front(T* item) { insert_before(m_head.next, &(item->*Link)); }

    T* front() const { return is_empty() ? nullptr : owner(m_head.next); }
    T* pop_front()
    {
        T* item = front();
        if (item) remove(item);
        return item;
    }
    void remove(T* item)
    {
        ListNode* node = &(item->*Link);
        node->prev->next = node->next;
        node->next->prev = node->prev;
        node->prev = node->next = nullptr;
        --m_size;
    }
    bool contains(const T* item) const
    {
        for (const ListNode* n = m_head.next; n != &m_head; n = n->next)
            if (n == &(item->*Link)) return true;
        return false;
    }

    /// Calls `fn(T*)` for each item in order; `fn` must not unlink items.
    template <typename Fn>
    void for_each(Fn fn) const
    {
        for (ListNode* n = m_head.next; n != &m_head; n = n->next) fn(owner(n));
    }

private:
    static T* owner(const ListNode* node)
    {
        // The offset of the node inside T, computed from a null-based member pointer.
        auto offset = reinterpret_cast<size_t>(&(static_cast<T*>(nullptr)->*Link));
        return reinterpret_cast<T*>(reinterpret_cast<char*>(const_cast<ListNode*>(node)) - offset);
    }
    void insert_before(ListNode* at, ListNode* node)
    {
        node->next = at;
        node->prev = at->prev;
        at->prev->next = node;
        at->prev = node;
        ++m_size;
    }

    ListNode m_head;
    size_t m_size = 0;
};
