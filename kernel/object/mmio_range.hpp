/// \file mmio_range.hpp
/// \brief MmioRange: a window of device registers in physical address space, mapped uncached by its holder.
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct MmioRange : KernelObject {
    static constexpr ObjectType kType = ObjectType::MmioRange;

    MmioRange() : KernelObject(kType) {}

    uint64_t phys = 0;  ///< Page-aligned start.
    uint64_t size = 0;  ///< Page multiple.

    static Result<MmioRange*> create(uint64_t phys, uint64_t size);
    static void destroy(MmioRange* range);
};
