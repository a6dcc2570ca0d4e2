/// \file elf64.cpp
/// \brief Checks an ELF64 executable's header and program headers and collects its PT_LOAD segments.
#include "lib/elf64.hpp"

namespace elf {

namespace {

// Layout of the ELF64 file header (System V gABI and the x86-64 psABI).
constexpr size_t kHeaderSize = 64;
constexpr size_t kEiClass = 4;
constexpr size_t kEiData = 5;
constexpr size_t kEiVersion = 6;
constexpr size_t kOffType = 16;
constexpr size_t kOffMachine = 18;
constexpr size_t kOffVersion = 20;
constexpr size_t kOffEntry = 24;
constexpr size_t kOffPhoff = 32;
constexpr size_t kOffPhentsize = 54;
constexpr size_t kOffPhnum = 56;

constexpr uint8_t kClass64 = 2;
constexpr uint8_t kDataLittleEndian = 1;
constexpr uint32_t kVersionCurrent = 1;
constexpr uint16_t kTypeExec = 2;
constexpr uint16_t kMachineX86_64 = 62;

// Layout of one ELF64 program header.
constexpr size_t kPhdrSize = 56;
constexpr size_t kOffPType = 0;
constexpr size_t kOffPFlags = 4;
constexpr size_t kOffPOffset = 8;
constexpr size_t kOffPVaddr = 16;
constexpr size_t kOffPFilesz = 32;
constexpr size_t kOffPMemsz = 40;

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1;
constexpr uint32_t kPfW = 2;
constexpr uint32_t kPfR = 4;

// Fields are read a byte at a time: the file can sit at any alignment in memory, and a hostile
// e_phoff can put the program headers at any alignment inside it.
uint16_t load_u16(const uint8_t* p)
{
    return uint16_t(p[0] | p[1] << 8);
}

uint32_t load_u32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint64_t load_u64(const uint8_t* p)
{
    return uint64_t(load_u32(p)) | uint64_t(load_u32(p + 4)) << 32;
}

// A page-rounded span [first, last) of virtual memory, used to detect segments sharing a page.
struct PageSpan {
    uint64_t first;
    uint64_t last;
};

// Checks the identification bytes and the fixed header fields, in the order the header lists them.
Result<void> check_header(const uint8_t* data, size_t size, const char*& why)
{
    if (size < kHeaderSize) {
        why = "file is shorter than the ELF header";
        return Error::BadFormat;
    }
    if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
        why = "not an ELF file";
        return Error::BadFormat;
    }
    if (data[kEiClass] != kClass64) {
        why = "not a 64-bit ELF file";
        return Error::BadFormat;
    }
    if (data[kEiData] != kDataLittleEndian) {
        why = "not a little-endian ELF file";
        return Error::BadFormat;
    }
    // The version appears twice, in e_ident and in e_version; both must be EV_CURRENT.
    if (data[kEiVersion] != kVersionCurrent || load_u32(data + kOffVersion) != kVersionCurrent) {
        why = "unsupported ELF version";
        return Error::BadFormat;
    }
    if (load_u16(data + kOffType) != kTypeExec) {
        why = "not an executable (ET_EXEC) file";
        return Error::BadFormat;
    }
    if (load_u16(data + kOffMachine) != kMachineX86_64) {
        why = "not an x86-64 file";
        return Error::BadFormat;
    }
    if (load_u16(data + kOffPhentsize) != kPhdrSize) {
        why = "program header size is not 56";
        return Error::BadFormat;
    }
    return {};
}

// Validates one PT_LOAD program header at `ph` and returns it as a Segment plus its page span.
Result<void> check_segment(const uint8_t* ph, size_t size, const AddressLimits& limits,
                           Segment& seg, PageSpan& span, const char*& why)
{
    uint32_t flags = load_u32(ph + kOffPFlags);
    seg.offset = load_u64(ph + kOffPOffset);
    seg.vaddr = load_u64(ph + kOffPVaddr);
    seg.filesz = load_u64(ph + kOffPFilesz);
    seg.memsz = load_u64(ph + kOffPMemsz);
    seg.readable = (flags & kPfR) != 0;
    seg.writable = (flags & kPfW) != 0;
    seg.executable = (flags & kPfX) != 0;

    // The bytes copied from the file must exist, and they must fit in the memory they fill.
    if (seg.filesz > seg.memsz) {
        why = "segment filesz exceeds memsz";
        return Error::BadFormat;
    }
    if (seg.offset > size || seg.filesz > size - seg.offset) {
        why = "segment file bytes lie outside the file";
        return Error::BadFormat;
    }
    // The memory range, rounded out to whole pages, must not wrap around the address space.
    uint64_t mask = limits.page_size - 1;
    if (seg.memsz > UINT64_MAX - seg.vaddr || seg.vaddr + seg.memsz > UINT64_MAX - mask) {
        why = "segment address range overflows";
        return Error::BadFormat;
    }
    uint64_t end = seg.vaddr + seg.memsz;
    if (seg.vaddr < limits.user_min || end > limits.user_max) {
        why = "segment outside user space";
        return Error::BadFormat;
    }
    // Pages are mapped from the file, so a byte's place within its page must match in both.
    if ((seg.vaddr & mask) != (seg.offset & mask)) {
        why = "segment vaddr and offset disagree modulo the page size";
        return Error::BadFormat;
    }
    span.first = seg.vaddr & ~mask;
    span.last = (end + mask) & ~mask;
    return {};
}

} // namespace

Result<void> parse(const uint8_t* data, size_t size, const AddressLimits& limits, Image& out,
                   const char*& why)
{
    out.segment_count = 0;

    // (1) The limits come from the kernel, but a bad page size would break every check below.
    if (limits.page_size == 0 || (limits.page_size & (limits.page_size - 1)) != 0 ||
        limits.user_min >= limits.user_max) {
        why = "address limits are invalid";
        return Error::BadFormat;
    }

    // (2) The file header.
    TRY(check_header(data, size, why));
    uint64_t phoff = load_u64(data + kOffPhoff);
    size_t phnum = load_u16(data + kOffPhnum);
    // phnum * 56 cannot overflow: phnum is at most 65535.
    if (phoff > size || phnum * kPhdrSize > size - phoff) {
        why = "program headers lie outside the file";
        return Error::BadFormat;
    }

    // (3) Each PT_LOAD segment, checked on its own and then against the ones before it.
    PageSpan spans[kMaxSegments];
    for (size_t i = 0; i < phnum; ++i) {
        const uint8_t* ph = data + phoff + i * kPhdrSize;
        if (load_u32(ph + kOffPType) != kPtLoad) continue;
        if (out.segment_count == kMaxSegments) {
            why = "too many PT_LOAD segments";
            return Error::BadFormat;
        }
        Segment& seg = out.segments[out.segment_count];
        PageSpan& span = spans[out.segment_count];
        TRY(check_segment(ph, size, limits, seg, span, why));
        for (size_t j = 0; j < out.segment_count; ++j) {
            if (span.first < spans[j].last && spans[j].first < span.last) {
                why = "segment overlaps another segment's pages";
                return Error::BadFormat;
            }
        }
        ++out.segment_count;
    }
    if (out.segment_count == 0) {
        why = "no PT_LOAD segment";
        return Error::BadFormat;
    }

    // (4) The entry point must be code the process will actually have mapped executable.
    out.entry = load_u64(data + kOffEntry);
    for (size_t i = 0; i < out.segment_count; ++i) {
        const Segment& seg = out.segments[i];
        if (seg.executable && out.entry >= seg.vaddr && out.entry - seg.vaddr < seg.memsz) {
            return {};
        }
    }
    why = "entry point is not in an executable segment";
    return Error::BadFormat;
}

} // namespace elf
