/// \file page_table.cpp
/// \brief The four-level walk: index bits 47..39, 38..30, 29..21 and 20..12 of the address.
#include "mm/page_table.hpp"

namespace {

// LAB 2 STUB: #pragma GCC diagnostic ignored "-Wunused-function" // until you use the helpers

constexpr uint64_t kPageSize = 4096;

/// The table index of `virt` at `level` (3 = PML4 ... 0 = PT).
unsigned index_at(uint64_t virt, int level) { return (virt >> (12 + 9 * level)) & 0x1ff; }

/// Canonical: bits 63..47 all equal.
bool is_canonical(uint64_t virt)
{
    uint64_t top = virt >> 47;
    return top == 0 || top == 0x1ffff;
}

bool is_user_half(uint64_t virt) { return (virt >> 47) == 0; }

} // namespace

Result<void> PageTable::map(uint64_t virt, uint64_t phys, uint64_t flags)
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: (void)virt, (void)phys, (void)flags;
    // LAB 2 STUB: return Error::NoMemory;
    if (virt % kPageSize != 0 || phys % kPageSize != 0 || !is_canonical(virt) ||
        (phys & ~pte::kAddressMask) != 0)
        return Error::InvalidArgument;
    if (!s_nx_supported) flags &= ~pte::kNoExecute;

    // Walk down from the PML4, creating tables as needed. Intermediate entries are permissive
    // (writable, user for the lower half): the leaf entry decides what is allowed.
    uint64_t table_phys = m_root;
    for (int level = 3; level > 0; --level) {
        uint64_t& entry = table(table_phys)[index_at(virt, level)];
        if (!(entry & pte::kPresent)) {
            uint64_t fresh = TRY(m_memory.allocate_zeroed_frame());
            entry = fresh | pte::kPresent | pte::kWritable | (is_user_half(virt) ? pte::kUser : 0);
        } else if (entry & pte::kHuge) {
            return Error::Busy;
        }
        table_phys = entry & pte::kAddressMask;
    }
    uint64_t& leaf = table(table_phys)[index_at(virt, 0)];
    if (leaf & pte::kPresent) return Error::Busy;
    leaf = phys | (flags & pte::kFlagsMask) | pte::kPresent;
    return {};
    // LAB 2 END SOLUTION
}

Result<uint64_t> PageTable::unmap(uint64_t virt)
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: (void)virt;
    // LAB 2 STUB: return Error::NotFound;
    if (virt % kPageSize != 0 || !is_canonical(virt)) return Error::InvalidArgument;
    uint64_t table_phys = m_root;
    for (int level = 3; level > 0; --level) {
        uint64_t entry = table(table_phys)[index_at(virt, level)];
        if (!(entry & pte::kPresent) || (entry & pte::kHuge)) return Error::NotFound;
        table_phys = entry & pte::kAddressMask;
    }
    uint64_t& leaf = table(table_phys)[index_at(virt, 0)];
    if (!(leaf & pte::kPresent)) return Error::NotFound;
    uint64_t phys = leaf & pte::kAddressMask;
    leaf = 0;
    return phys;
    // LAB 2 END SOLUTION
}

Result<PageTable::Translation> PageTable::translate(uint64_t virt) const
{
    // LAB 2 BEGIN SOLUTION
    // LAB 2 STUB: (void)virt;
    // LAB 2 STUB: return Error::NotFound;
    if (!is_canonical(virt)) return Error::NotFound;
    uint64_t table_phys = m_root;
    // User and Writable must be granted at every level; start with both and mask down.
    uint64_t allowed = pte::kUser | pte::kWritable;
    for (int level = 3; level >= 0; --level) {
        uint64_t entry = table(table_phys)[index_at(virt, level)];
        if (!(entry & pte::kPresent)) return Error::NotFound;
        allowed &= entry;
        bool leaf = level == 0 || ((entry & pte::kHuge) && level <= 2);
        if (leaf) {
            uint64_t page_size = 1ull << (12 + 9 * level);
            uint64_t base = entry & pte::kAddressMask & ~(page_size - 1);
            uint64_t flags = (entry & pte::kFlagsMask & ~(pte::kUser | pte::kWritable)) | allowed;
            return Translation{base + (virt & (page_size - 1)), flags};
        }
        table_phys = entry & pte::kAddressMask;
    }
    return Error::NotFound;
    // LAB 2 END SOLUTION
}

void PageTable::free_level(uint64_t table_phys, int level, bool free_frames)
{
    uint64_t* entries = table(table_phys);
    for (unsigned i = 0; i < 512; ++i) {
        uint64_t entry = entries[i];
        if (!(entry & pte::kPresent)) continue;
        entries[i] = 0;
        // Large pages are never used in the user half; there is no table below one to free.
        if (entry & pte::kHuge) continue;
        uint64_t next = entry & pte::kAddressMask;
        if (level > 1) {
            free_level(next, level - 1, free_frames);
        } else if (free_frames) {
            // `next` is a page table: its entries are the mapped frames themselves.
            uint64_t* leaves = table(next);
            for (unsigned j = 0; j < 512; ++j)
                if ((leaves[j] & pte::kPresent) && !(leaves[j] & pte::kBorrowed))
                    m_memory.free_frame(leaves[j] & pte::kAddressMask);
        }
        m_memory.free_frame(next);
    }
}

void PageTable::free_user_half(bool free_frames)
{
    uint64_t* pml4 = table(m_root);
    for (unsigned i = 0; i < 256; ++i) {
        uint64_t entry = pml4[i];
        if (!(entry & pte::kPresent)) continue;
        free_level(entry & pte::kAddressMask, 2, free_frames);
        m_memory.free_frame(entry & pte::kAddressMask);
        pml4[i] = 0;
    }
}
