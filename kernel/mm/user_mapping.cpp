/// \file user_mapping.cpp
/// \brief Borrowed-frame mappings: checked first, then made; references recorded per process.
#include "mm/user_mapping.hpp"
#include "core/process.hpp"
#include "mm/layout.hpp"
#include "mm/page_table.hpp"
#include "object/memory.hpp"

Result<void> map_physical(Process& process, uint64_t vaddr, uint64_t phys, uint64_t pages, uint64_t flags)
{
    if (vaddr % layout::kPageSize != 0 || pages == 0 || pages > (1ull << 20) ||
        !layout::is_user_range(vaddr, pages * layout::kPageSize))
        return Error::InvalidArgument;
    PageTable table = process.space.page_table();
    // Check the whole range first, so a failure leaves nothing half-mapped.
    for (uint64_t i = 0; i < pages; ++i)
        if (!table.translate(vaddr + i * layout::kPageSize).is_error()) return Error::Busy;
    for (uint64_t i = 0; i < pages; ++i) {
        auto mapped = table.map(vaddr + i * layout::kPageSize, phys + i * layout::kPageSize,
                                flags | pte::kUser | pte::kBorrowed);
        if (mapped.is_error()) {
            for (uint64_t j = 0; j < i; ++j) (void)table.unmap(vaddr + j * layout::kPageSize);
            return mapped.error();
        }
    }
    return {};
}

Result<void> remember_mapping(Process& process, Memory* memory)
{
    for (Memory*& slot : process.mappings) {
        if (slot == memory) return {};
        if (!slot) {
            slot = memory;
            object_retain(memory);
            return {};
        }
    }
    return Error::TableFull;
}
