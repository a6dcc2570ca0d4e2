/// \file address_space.cpp
/// \brief Creating and tearing down address spaces, and the checked user-copy routines.
#include "mm/address_space.hpp"
#include "arch/x86_64/cpu.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"

Result<AddressSpace> AddressSpace::create()
{
    AddressSpace space;
    space.m_root = TRY(mm::physical().allocate_zeroed_frame());
    auto* mine = static_cast<uint64_t*>(layout::phys_to_virt(space.m_root));
    auto* kernel = static_cast<uint64_t*>(layout::phys_to_virt(mm::kernel_root()));
    // Slots 256..511 are the kernel half: the same PDPTs in every address space.
    for (int i = 256; i < 512; ++i) mine[i] = kernel[i];
    return space;
}

PageTable AddressSpace::page_table() const { return PageTable(mm::physical(), m_root); }

Result<void> AddressSpace::map_anonymous(uint64_t virt, uint64_t size, uint64_t flags)
{
    if (virt % layout::kPageSize != 0 || !layout::is_user_range(virt, size)) return Error::InvalidArgument;
    PageTable table = page_table();
    for (uint64_t offset = 0; offset < size; offset += layout::kPageSize) {
        uint64_t frame = TRY(mm::physical().allocate_zeroed_frame());
        Result<void> mapped = table.map(virt + offset, frame, flags | pte::kUser);
        if (mapped.is_error()) {
            mm::physical().free_frame(frame);
            return mapped.error();
        }
    }
    return {};
}

void AddressSpace::destroy()
{
    if (!m_root) return;
    page_table().free_user_half(true);
    mm::physical().free_frame(m_root);
    m_root = 0;
}

namespace {

/// Checks every page of [user, user+len) and calls `copy(kernel_pointer, chunk_len, offset)` for
/// each contiguous piece, but only after the whole range has been checked.
template <typename CopyChunk>
Result<void> walk_user_range(const AddressSpace& space, uint64_t user, size_t len, bool need_write,
                             CopyChunk copy)
{
    if (len == 0) return {};
    if (!layout::is_user_range(user, len)) return Error::BadAddress;
    PageTable table = space.page_table();
    uint64_t required = pte::kUser | (need_write ? pte::kWritable : 0);
    // Pass 1: every page must be present with the right permissions.
    for (uint64_t page = layout::page_round_down(user); page < user + len; page += layout::kPageSize) {
        auto t = table.translate(page);
        if (t.is_error() || (t.value().flags & required) != required) return Error::BadAddress;
    }
    // Pass 2: copy page by page through the physmap.
    size_t done = 0;
    while (done < len) {
        uint64_t address = user + done;
        size_t chunk = layout::kPageSize - (address % layout::kPageSize);
        if (chunk > len - done) chunk = len - done;
        uint64_t phys = table.translate(address).value().phys;
        copy(layout::phys_to_virt(phys), chunk, done);
        done += chunk;
    }
    return {};
}

} // namespace

Result<void> copy_from_user(const AddressSpace& space, void* dst, uint64_t user_src, size_t len)
{
    auto* out = static_cast<uint8_t*>(dst);
    return walk_user_range(space, user_src, len, false,
                           [&](void* user_bytes, size_t n, size_t offset) { memcpy(out + offset, user_bytes, n); });
}

Result<void> copy_to_user(const AddressSpace& space, uint64_t user_dst, const void* src, size_t len)
{
    auto* in = static_cast<const uint8_t*>(src);
    return walk_user_range(space, user_dst, len, true,
                           [&](void* user_bytes, size_t n, size_t offset) { memcpy(user_bytes, in + offset, n); });
}

Result<void> check_user_range(const AddressSpace& space, uint64_t user, size_t len, bool write)
{
    return walk_user_range(space, user, len, write, [](void*, size_t, size_t) {});
}

// [mm-copy-between-spaces]
Result<void> copy_between_spaces(const AddressSpace& dst_space, uint64_t user_dst, const AddressSpace& src_space,
                                 uint64_t user_src, size_t len)
{
    // (1) Both ranges, whole, before a byte moves.
    TRY(check_user_range(src_space, user_src, len, false));
    TRY(check_user_range(dst_space, user_dst, len, true));
    // (2) Piece by piece, each piece inside one page on both sides, physmap to physmap.
    PageTable from = src_space.page_table();
    PageTable to = dst_space.page_table();
    size_t done = 0;
    while (done < len) {
        uint64_t src = user_src + done, dst = user_dst + done;
        size_t chunk = len - done;
        if (size_t left = layout::kPageSize - src % layout::kPageSize; chunk > left) chunk = left;
        if (size_t left = layout::kPageSize - dst % layout::kPageSize; chunk > left) chunk = left;
        memcpy(layout::phys_to_virt(to.translate(dst).value().phys), layout::phys_to_virt(from.translate(src).value().phys),
               chunk);
        done += chunk;
    }
    return {};
}
// [mm-copy-between-spaces]

Result<void> copy_string_from_user(const AddressSpace& space, char* dst, size_t max, uint64_t user_src,
                                   size_t len)
{
    if (max == 0 || len >= max) return Error::InvalidArgument;
    TRY(copy_from_user(space, dst, user_src, len));
    dst[len] = '\0';
    return {};
}
