/// \file frame_allocator.hpp
/// \brief The physical frame allocator: one bit per 4 KiB frame, built from the firmware memory map.
///
/// Pure logic over a caller-provided bitmap, so the host tests can drive it with small fake maps.
/// A set bit means "in use or not RAM". Everything starts used; `add_free_range` releases RAM
/// from the memory map and `reserve_range` takes back what must never be handed out (the first
/// megabyte, the kernel image, the boot information and the modules).
#pragma once

#include "lib/result.hpp"
#include <stdint.h>

class FrameAllocator {
public:
    static constexpr uint64_t kFrameSize = 4096;

    /// \param bitmap      Storage for frame_count bits (rounded up to whole words).
    /// \param frame_count Frames this allocator covers: physical [0, frame_count * 4 KiB).
    void init(uint64_t* bitmap, uint64_t frame_count);

    /// Marks the whole frames inside [base, base+length) free. Parts beyond the covered range
    /// are ignored. Partial frames at the edges stay used.
    void add_free_range(uint64_t base, uint64_t length);
    /// Marks every frame touching [base, base+length) used.
    void reserve_range(uint64_t base, uint64_t length);

    /// One free frame's physical address, or Error::NoMemory.
    Result<uint64_t> allocate();
    /// `count` physically contiguous frames starting at a multiple of `align_frames` frames (for
    /// DMA), or Error::NoMemory. `count` 0 or `align_frames` 0 is Error::InvalidArgument.
    Result<uint64_t> allocate_contiguous(uint64_t count, uint64_t align_frames);
    /// Returns a frame. Error::InvalidArgument if `phys` is unaligned, out of range, or not
    /// allocated (a double free) — the allocator's state is unchanged then.
    Result<void> free(uint64_t phys);

    bool is_used(uint64_t phys) const;
    uint64_t free_frames() const { return m_free; }
    uint64_t total_frames() const { return m_frame_count; }

private:
    bool test(uint64_t frame) const { return m_bitmap[frame / 64] & (1ull << (frame % 64)); }
    void set(uint64_t frame);
    void clear(uint64_t frame);

    uint64_t* m_bitmap = nullptr;
    uint64_t m_frame_count = 0;
    uint64_t m_free = 0;
    uint64_t m_next = 0;  ///< Where the next search starts: allocation is next-fit.
};
