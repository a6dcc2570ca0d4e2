/// \file sort_core.cpp
/// \brief Heapsort, qsort's engine: in place, no memory, O(n log n) whatever the input.
#include "core.hpp"

namespace libc {

namespace {

void swap_bytes(unsigned char* a, unsigned char* b, size_t size)
{
    for (size_t i = 0; i < size; ++i) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/// Moves item `root` down until neither child is larger (a max-heap of `count` items).
void sift_down(unsigned char* base, size_t root, size_t count, size_t size, int (*compare)(const void*, const void*))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count) return;
        if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) ++child;
        if (compare(base + root * size, base + child * size) >= 0) return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

} // namespace

void heap_sort(void* items, size_t count, size_t size, int (*compare)(const void*, const void*))
{
    if (count < 2 || size == 0) return;
    auto* base = static_cast<unsigned char*>(items);
    // (1) Build a max-heap, (2) repeatedly move the largest to the end and repair the heap.
    for (size_t i = count / 2; i-- > 0;) sift_down(base, i, count, size, compare);
    for (size_t end = count - 1; end > 0; --end) {
        swap_bytes(base, base + end * size, size);
        sift_down(base, 0, end, size, compare);
    }
}

} // namespace libc
