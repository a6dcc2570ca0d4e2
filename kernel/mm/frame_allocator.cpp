/// \file frame_allocator.cpp
/// \brief Bitmap frame allocation: next-fit single frames, first-fit aligned contiguous runs.
#include "mm/frame_allocator.hpp"

void FrameAllocator::init(uint64_t* bitmap, uint64_t frame_count)
{
    m_bitmap = bitmap;
    m_frame_count = frame_count;
    m_free = 0;
    m_next = 0;
    for (uint64_t w = 0; w < (frame_count + 63) / 64; ++w) m_bitmap[w] = ~0ull;
}

void FrameAllocator::set(uint64_t frame)
{
    if (!test(frame)) {
        m_bitmap[frame / 64] |= 1ull << (frame % 64);
        --m_free;
    }
}

void FrameAllocator::clear(uint64_t frame)
{
    if (test(frame)) {
        m_bitmap[frame / 64] &= ~(1ull << (frame % 64));
        ++m_free;
    }
}

void FrameAllocator::add_free_range(uint64_t base, uint64_t length)
{
    // Only whole frames: round the start up and the end down.
    if (length == 0 || base > UINT64_MAX - length) return;
    uint64_t first = (base + kFrameSize - 1) / kFrameSize;
    uint64_t end = (base + length) / kFrameSize;
    if (end > m_frame_count) end = m_frame_count;
    for (uint64_t f = first; f < end; ++f) clear(f);
}

void FrameAllocator::reserve_range(uint64_t base, uint64_t length)
{
    // Every frame touched: round the start down and the end up.
    if (length == 0) return;
    uint64_t last_byte = base > UINT64_MAX - (length - 1) ? UINT64_MAX : base + length - 1;
    uint64_t first = base / kFrameSize;
    uint64_t last = last_byte / kFrameSize;
    if (last >= m_frame_count) last = m_frame_count - 1;
    for (uint64_t f = first; f <= last && f < m_frame_count; ++f) set(f);
}

Result<uint64_t> FrameAllocator::allocate()
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: return Error::NoMemory;
    if (m_free == 0) return Error::NoMemory;
    for (uint64_t i = 0; i < m_frame_count; ++i) {
        uint64_t f = (m_next + i) % m_frame_count;
        // Skip whole words of used frames quickly.
        if (f % 64 == 0 && m_bitmap[f / 64] == ~0ull && f + 64 <= m_frame_count) {
            i += 63;
            continue;
        }
        if (!test(f)) {
            set(f);
            m_next = f + 1;
            return f * kFrameSize;
        }
    }
    return Error::NoMemory;
    // LAB 2 END SOLUTION
}

Result<uint64_t> FrameAllocator::allocate_contiguous(uint64_t count, uint64_t align_frames)
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: (void)count, (void)align_frames;
    // LAB 2 STUB: return Error::NoMemory;
    if (count == 0 || align_frames == 0) return Error::InvalidArgument;
    if (count > m_free) return Error::NoMemory;
    // The kernel runs with interrupts off: the scan must not test every frame of a large used
    // region one by one. Whole words of used frames are skipped 64 at a time, and after a used
    // frame the search resumes past it (no run that contains it can fit).
    auto aligned = [align_frames](uint64_t f) { return (f + align_frames - 1) / align_frames * align_frames; };
    for (uint64_t start = 0; start + count <= m_frame_count;) {
        if (start % 64 == 0 && m_bitmap[start / 64] == ~0ull) {
            start = aligned(start + 64);
            continue;
        }
        uint64_t run = 0;
        while (run < count && !test(start + run)) ++run;
        if (run == count) {
            for (uint64_t f = start; f < start + count; ++f) set(f);
            return start * kFrameSize;
        }
        start = aligned(start + run + 1);
    }
    return Error::NoMemory;
    // LAB 2 END SOLUTION
}

Result<void> FrameAllocator::free(uint64_t phys)
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: (void)phys;
    // LAB 2 STUB: return Error::InvalidArgument;
    if (phys % kFrameSize != 0) return Error::InvalidArgument;
    uint64_t frame = phys / kFrameSize;
    if (frame >= m_frame_count || !test(frame)) return Error::InvalidArgument;
    clear(frame);
    return {};
    // LAB 2 END SOLUTION
}

bool FrameAllocator::is_used(uint64_t phys) const
{
    uint64_t frame = phys / kFrameSize;
    return frame >= m_frame_count || test(frame);
}
