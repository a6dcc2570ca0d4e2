/// \file address_space.hpp
/// \brief A process's virtual address space: its own lower half over the shared kernel half.
#pragma once

#include "arch/x86_64/cpu.hpp"
#include "lib/result.hpp"
#include "mm/page_table.hpp"
#include <stddef.h>
#include <stdint.h>

class AddressSpace {
public:
    /// A new, empty address space: a fresh PML4 whose kernel half is copied from the kernel's.
    static Result<AddressSpace> create();

    /// Maps zero-filled frames over [virt, virt+size) (page-aligned) with `flags`
    /// (pte::kWritable, pte::kUser is added, pte::kNoExecute unless executable).
    Result<void> map_anonymous(uint64_t virt, uint64_t size, uint64_t flags);

    /// Frees every user page and page table, then the PML4. The object is empty afterwards.
    void destroy();

    /// Makes this the CPU's current address space (a CR3 write flushes the TLB, so skip it
    /// when this space is already loaded).
    void activate() const
    {
        if (cpu::read_cr3() != m_root) cpu::write_cr3(m_root);
    }

    PageTable page_table() const;
    uint64_t root() const { return m_root; }
    bool is_valid() const { return m_root != 0; }

private:
    uint64_t m_root = 0;
};

/// \name Checked copies between the kernel and the current process's user memory.
/// Every byte's page is looked up in the page table first: it must be in the user half, present,
/// user-accessible, and (for copies out) writable. Nothing is copied unless the whole range
/// passes, and the kernel never takes a page fault on a bad pointer. Errors: Error::BadAddress.
/// @{
Result<void> copy_from_user(const AddressSpace& space, void* dst, uint64_t user_src, size_t len);
Result<void> copy_to_user(const AddressSpace& space, uint64_t user_dst, const void* src, size_t len);
/// Only the check: BadAddress unless every page of the range is user-accessible (and writable
/// if `write`).
Result<void> check_user_range(const AddressSpace& space, uint64_t user, size_t len, bool write);
/// Copies `len` bytes from `src_space` at `user_src` to `dst_space` at `user_dst` (the IPC
/// windows): both ranges are checked first, the destination for writability.
Result<void> copy_between_spaces(const AddressSpace& dst_space, uint64_t user_dst, const AddressSpace& src_space,
                                 uint64_t user_src, size_t len);
/// Copies a string of at most `max - 1` bytes plus NUL; the user string's length is `len` (not
/// NUL-terminated in user memory). InvalidArgument if `len >= max`.
Result<void> copy_string_from_user(const AddressSpace& space, char* dst, size_t max, uint64_t user_src,
                                   size_t len);
/// @}
