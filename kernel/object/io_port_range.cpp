/// \file io_port_range.cpp
/// \brief IoPortRange objects.
#include "object/io_port_range.hpp"
#include "mm/object_cache.hpp"

namespace {
ObjectCache<IoPortRange> g_ranges{"ioport"};
}

Result<IoPortRange*> IoPortRange::create(uint16_t base, uint32_t count)
{
    if (count == 0 || base + count > 0x10000) return Error::InvalidArgument;
    IoPortRange* r = TRY(g_ranges.create());
    r->base = base;
    r->count = count;
    return r;
}

void IoPortRange::destroy(IoPortRange* range) { g_ranges.destroy(range); }
