/// \file memory.cpp
/// \brief Memory pools, frame allocations charged to them, and boot-module images.
#include "object/memory.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<Memory> g_memory{"memory"};
}

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
    uint64_t phys = TRY(mm::frames().allocate_contiguous(bytes / 4096, 1));
    auto created = g_memory.create();
    if (created.is_error()) {
        for (uint64_t p = 0; p < bytes; p += 4096) mm::physical().free_frame(phys + p);
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
        for (uint64_t p = 0; p < m->size; p += 4096) mm::physical().free_frame(m->phys + p);
        m->charged_to->budget += m->size;
        object_release(m->charged_to);
    }
    g_memory.destroy(m);
}
// [memory-destroy]
