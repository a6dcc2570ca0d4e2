/// \file object_cache.hpp
/// \brief Per-type allocation of kernel objects from whole pages (a minimal slab), with no general heap.
///
/// Each object type has its own cache: `ObjectCache<Thread> g_threads{"thread"};`. Objects are
/// carved out of pages obtained from a page source (the frame allocator in the kernel, malloc in
/// the host tests), and freed objects go on a free list for reuse. Pages are never returned, so a
/// cache's footprint is its high-water mark, which `pages()` reports.
#pragma once

#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

/// Where caches get pages from. The kernel sets this to mm::allocate_page at boot.
using PageSource = Result<void*> (*)();
void set_object_page_source(PageSource source);
PageSource object_page_source();

template <typename T>
class ObjectCache {
public:
    static constexpr size_t kPageBytes = 4096;
    /// Each slot holds a T or, while free, the free-list link: big and aligned enough for both.
    static constexpr size_t kSlotAlign = alignof(T) > alignof(void*) ? alignof(T) : alignof(void*);
    static constexpr size_t kSlotSize =
        ((sizeof(T) > sizeof(void*) ? sizeof(T) : sizeof(void*)) + kSlotAlign - 1) / kSlotAlign * kSlotAlign;
    static_assert(kSlotSize <= kPageBytes, "objects must fit in a page");
    static_assert(alignof(T) <= kPageBytes);

    explicit constexpr ObjectCache(const char* name) : m_name(name) {}

    /// Constructs a T in a free slot, or returns Error::NoMemory.
    template <typename... Args>
    Result<T*> create(Args&&... args)
    {
        if (!m_free) TRY(grow());
        FreeSlot* slot = m_free;
        m_free = slot->next;
        ++m_live;
        return new (slot) T(static_cast<Args&&>(args)...);
    }

    /// Destroys `object` and returns its slot to the free list.
    void destroy(T* object)
    {
        object->~T();
        auto* slot = reinterpret_cast<FreeSlot*>(object);
        slot->next = m_free;
        m_free = slot;
        --m_live;
    }

    const char* name() const { return m_name; }
    size_t live() const { return m_live; }
    size_t pages() const { return m_pages; }

private:
    struct FreeSlot {
        FreeSlot* next;
    };

    Result<void> grow()
    {
        auto* page = static_cast<uint8_t*>(TRY(object_page_source()()));
        ++m_pages;
        // Thread the page's slots onto the free list, lowest address first.
        for (size_t i = kPageBytes / kSlotSize; i > 0; --i) {
            auto* slot = reinterpret_cast<FreeSlot*>(page + (i - 1) * kSlotSize);
            slot->next = m_free;
            m_free = slot;
        }
        return {};
    }

    const char* m_name;
    FreeSlot* m_free = nullptr;
    size_t m_live = 0;
    size_t m_pages = 0;
};
