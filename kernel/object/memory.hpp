/// \file memory.hpp
/// \brief Memory: physically contiguous frames a process can map, or a pool that memory is allocated from.
///
/// Three kinds. A *pool* owns no frames, only a budget of bytes: `memory_allocate` on a pool
/// capability (Manage right) takes frames from the kernel's frame allocator and charges the pool.
/// *Frames* are such an allocation: zeroed, physically contiguous (so any Memory can serve as DMA
/// memory and reports its physical address), freed when the last reference goes. A *boot module*
/// is the read-only image GRUB loaded; it is never freed. Frames whose physical address was
/// asked for (memory_info: DMA memory) are quarantined for kDmaQuarantineNs before they are reused.
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Memory : KernelObject {
    static constexpr ObjectType kType = ObjectType::Memory;
    enum class Kind : uint8_t { Pool, Frames, BootModule };

    Memory() : KernelObject(kType) {}

    Kind kind = Kind::Frames;
    uint64_t phys = 0;          ///< First byte (Frames, BootModule).
    uint64_t size = 0;          ///< Bytes (page multiple for Frames; the image size for BootModule).
    uint64_t budget = 0;        ///< Pool: bytes still allowed.
    Memory* charged_to = nullptr;  ///< Frames: the pool to refund when freed (holds a reference).
    bool device_visible = false;   ///< Frames: memory_info gave out the physical address, so a
                                   ///< device may be doing DMA into them (see destroy()).

    /// How long the frames of a device-visible Memory stay out of use after it is destroyed:
    /// a driver killed in the middle of a DMA transfer leaves the device writing into them, until
    /// its next instance stops the device (at start-up, well within this).
    static constexpr uint64_t kDmaQuarantineNs = 2000000000ull;

    /// A pool allowed to hand out `budget` bytes.
    static Result<Memory*> create_pool(uint64_t budget);
    /// Zeroed, contiguous frames covering `size` bytes, charged to `pool`.
    static Result<Memory*> allocate(Memory* pool, uint64_t size);
    /// The boot module at [phys, phys+size).
    static Result<Memory*> create_boot_module(uint64_t phys, uint64_t size);
    static void destroy(Memory* memory);

    uint64_t page_count() const { return (size + 4095) / 4096; }
};
