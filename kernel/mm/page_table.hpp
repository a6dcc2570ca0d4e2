/// \file page_table.hpp
/// \brief Builds and walks x86-64 4-level page tables (PML4 → PDPT → PD → PT) for 4 KiB pages.
///
/// The walker never touches physical memory directly: it asks a `PhysicalMemory` to turn a frame
/// into a pointer and to allocate table frames. The kernel's implementation goes through the
/// physmap; the host tests back it with an array, so the same code is tested under ASan.
#pragma once

#include "lib/result.hpp"
#include <stdint.h>

/// Where page-table frames come from and how to reach them.
class PhysicalMemory {
public:
    virtual void* to_virtual(uint64_t phys) = 0;
    /// A zero-filled frame, or Error::NoMemory.
    virtual Result<uint64_t> allocate_zeroed_frame() = 0;
    virtual void free_frame(uint64_t phys) = 0;

protected:
    ~PhysicalMemory() = default;
};

namespace pte {
inline constexpr uint64_t kPresent = 1ull << 0;
inline constexpr uint64_t kWritable = 1ull << 1;
inline constexpr uint64_t kUser = 1ull << 2;
inline constexpr uint64_t kWriteThrough = 1ull << 3;
inline constexpr uint64_t kCacheDisable = 1ull << 4;
inline constexpr uint64_t kHuge = 1ull << 7;
inline constexpr uint64_t kGlobal = 1ull << 8;
/// Software bit (ignored by the CPU): the frame belongs to someone else (a Memory object or a
/// device), so tearing the address space down must not free it.
inline constexpr uint64_t kBorrowed = 1ull << 9;
inline constexpr uint64_t kNoExecute = 1ull << 63;
inline constexpr uint64_t kAddressMask = 0x000ffffffffff000ull;
inline constexpr uint64_t kFlagsMask = ~kAddressMask;
} // namespace pte

/// A page-table hierarchy rooted at one PML4 frame.
class PageTable {
public:
    PageTable(PhysicalMemory& memory, uint64_t root_phys) : m_memory(memory), m_root(root_phys) {}

    /// Whether the CPU honours the no-execute bit (EFER.NXE); if not, it is left out of entries,
    /// where it would be a reserved bit.
    static void set_nx_supported(bool supported) { s_nx_supported = supported; }

    /// Maps the 4 KiB page at `virt` to the frame `phys` with `flags` (pte::k*; Present is
    /// implied). Missing intermediate tables are allocated; they get User when `virt` is in the
    /// lower half. Errors: InvalidArgument (unaligned or non-canonical address), Busy (already
    /// mapped, or a 2 MiB page is in the way), NoMemory.
    Result<void> map(uint64_t virt, uint64_t phys, uint64_t flags);

    /// Removes the mapping of `virt` and returns the frame it pointed to (the caller frees it).
    /// Errors: InvalidArgument (unaligned), NotFound (not mapped).
    Result<uint64_t> unmap(uint64_t virt);

    struct Translation {
        uint64_t phys;   ///< The physical address of `virt` itself (page base + offset).
        uint64_t flags;  ///< The effective flags: User and Writable only if set at every level.
    };
    /// Translates any address, following 2 MiB and 1 GiB pages too. Error::NotFound if unmapped.
    Result<Translation> translate(uint64_t virt) const;

    /// Frees every table of the lower (user) half and, if `free_frames`, the frames they map
    /// (except those marked pte::kBorrowed).
    /// The PML4 itself and the kernel half are left alone.
    void free_user_half(bool free_frames);

    uint64_t root() const { return m_root; }

private:
    uint64_t* table(uint64_t phys) const { return static_cast<uint64_t*>(m_memory.to_virtual(phys)); }
    void free_level(uint64_t table_phys, int level, bool free_frames);

    PhysicalMemory& m_memory;
    uint64_t m_root;
    static inline bool s_nx_supported = true;
};
