/// \file elf64.hpp
/// \brief Validates an ELF64 executable and lists the segments to load; shared by the kernel's loader and host tests.
///
/// Only the checks live here: the kernel's loader (core/exec.cpp) maps what this returns. Every
/// field that could point outside the file, overflow, or place a segment outside user space is
/// checked, so a malformed or hostile ELF gives a clear error instead of a kernel fault.
#pragma once

#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

namespace elf {

inline constexpr size_t kMaxSegments = 16;  ///< PT_LOAD segments accepted per image.

/// One PT_LOAD segment, validated.
struct Segment {
    uint64_t vaddr;       ///< Where the segment starts in the process.
    uint64_t memsz;       ///< Size in memory (>= filesz; the rest is zero-filled).
    uint64_t offset;      ///< File offset of the bytes to copy.
    uint64_t filesz;      ///< How many bytes to copy from the file.
    bool readable;
    bool writable;
    bool executable;
};

/// An executable ready to load.
struct Image {
    uint64_t entry;
    Segment segments[kMaxSegments];
    size_t segment_count;
};

/// The user-space window segments must fall in: [user_min, user_max).
struct AddressLimits {
    uint64_t user_min;
    uint64_t user_max;
    uint64_t page_size;
};

/// Checks `data[0..size)` as an x86-64 ELF64 executable and returns its loadable segments.
///
/// \param data   The file's bytes.
/// \param size   The file's length.
/// \param limits Where in the address space segments may go.
/// \param out    Filled in on success.
/// \param why    On error, a static one-line reason ("not an ELF file", "segment outside user space", ...).
/// \return Nothing, or Error::BadFormat. Rejected: a file shorter than the ELF header; wrong magic,
///         class (not 64-bit), data encoding (not little-endian), version, type (not ET_EXEC),
///         machine (not x86-64); e_phentsize not 56; program headers outside the file; no PT_LOAD
///         segment or more than kMaxSegments; a segment with filesz > memsz, file bytes outside the
///         file, an address range that overflows or leaves [user_min, user_max), vaddr and offset
///         disagreeing modulo the page size, or overlapping another segment's pages; an entry point
///         not inside an executable segment.
Result<void> parse(const uint8_t* data, size_t size, const AddressLimits& limits, Image& out,
                   const char*& why);

} // namespace elf
