/// \file mmio_range.cpp
/// \brief MmioRange objects.
#include "object/mmio_range.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<MmioRange> g_ranges{"mmio"};
}

Result<MmioRange*> MmioRange::create(uint64_t phys, uint64_t size)
{
    if (phys % 4096 != 0 || size == 0 || size % 4096 != 0 || phys + size < phys) return Error::InvalidArgument;
    MmioRange* r = TRY(g_ranges.create());
    r->phys = phys;
    r->size = size;
    return r;
}

void MmioRange::destroy(MmioRange* range) { g_ranges.destroy(range); }
