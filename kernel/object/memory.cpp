/// \file memory.cpp
/// \brief Memory pools, frame allocations charged to them, and boot-module images.
#include "object/memory.hpp"
#include "core/clock.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<Memory> g_memory{"memory"};

// [memory-quarantine]
/// Frames of destroyed device-visible Memory objects, not reusable before `until`.
struct Quarantined {
    uint64_t phys = 0, size = 0, until = 0;
};
constexpr uint32_t kQuarantineSlots = 32;
Quarantined g_quarantine[kQuarantineSlots];

void free_frames(uint64_t phys, uint64_t size)
{
    for (uint64_t p = 0; p < size; p += 4096) mm::physical().free_frame(phys + p);
}

/// Frees the quarantined frames whose time is up (`all`: every one).
void release_quarantine(bool all)
{
    uint64_t now = clock::now_ns();
    for (Quarantined& q : g_quarantine) {
        if (q.size == 0 || (!all && now < q.until)) continue;
        free_frames(q.phys, q.size);
        q = Quarantined{};
    }
}

/// Holds `size` bytes at `phys` back for Memory::kDmaQuarantineNs. With every slot taken, the
/// entry closest to its end goes early.
void quarantine(uint64_t phys, uint64_t size)
{
    Quarantined* slot = &g_quarantine[0];
    for (Quarantined& q : g_quarantine) {
        if (q.size == 0) {
            slot = &q;
            break;
        }
        if (q.until < slot->until) slot = &q;
    }
    if (slot->size != 0) free_frames(slot->phys, slot->size);
    *slot = Quarantined{phys, size, clock::now_ns() + Memory::kDmaQuarantineNs};
}
// [memory-quarantine]

/// `count` contiguous frames, after the quarantine has given back what it may. Short of memory,
/// quarantined frames come back early rather than the caller failing.
Result<uint64_t> take_frames(uint64_t count)
{
    release_quarantine(false);
    if (auto frames = mm::frames().allocate_contiguous(count, 1); !frames.is_error()) return frames.value();
    release_quarantine(true);
    return mm::frames().allocate_contiguous(count, 1);
}

} // namespace

Result<Memory*> Memory::create_pool(uint64_t budget)
{
    Memory* m = TRY(g_memory.create());
    m->kind = Kind::Pool;
    m->budget = budget;
    return m;
}

// [memory-allocate]
Result<Memory*> Memory::allocate(Memory* pool, uint64_t size)
{
    if (size == 0 || size > (64ull << 20)) return Error::InvalidArgument;
    uint64_t bytes = layout::page_round_up(size);
    if (pool->kind != Kind::Pool || bytes > pool->budget) return Error::NoMemory;
    uint64_t phys = TRY(take_frames(bytes / 4096));
    auto created = g_memory.create();
    if (created.is_error()) {
        free_frames(phys, bytes);
        return created.error();
    }
    Memory* m = created.value();
    m->kind = Kind::Frames;
    m->phys = phys;
    m->size = bytes;
    memset(layout::phys_to_virt(phys), 0, bytes);
    pool->budget -= bytes;
    m->charged_to = pool;
    object_retain(pool);
    return m;
}
// [memory-allocate]

Result<Memory*> Memory::create_boot_module(uint64_t phys, uint64_t size)
{
    Memory* m = TRY(g_memory.create());
    m->kind = Kind::BootModule;
    m->phys = phys;
    m->size = size;
    return m;
}

// [memory-destroy]
void Memory::destroy(Memory* m)
{
    if (m->kind == Kind::Frames) {
        // A device may still write into frames whose address a driver was given: they wait.
        // The pool gets its budget back at once either way.
        if (m->device_visible) quarantine(m->phys, m->size);
        else free_frames(m->phys, m->size);
        m->charged_to->budget += m->size;
        object_release(m->charged_to);
    }
    g_memory.destroy(m);
}
// [memory-destroy]
