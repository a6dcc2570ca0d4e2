/// \file multiboot2.cpp
/// \brief Walks a multiboot2 information block tag by tag, checking every length before trusting it.
#include "lib/multiboot2.hpp"

namespace mb2 {

namespace {

// Tag types from the multiboot2 specification that the kernel uses; every other tag is skipped.
constexpr uint32_t kTagEnd = 0;
constexpr uint32_t kTagCmdline = 1;
constexpr uint32_t kTagBootloader = 2;
constexpr uint32_t kTagModule = 3;
constexpr uint32_t kTagBasicMeminfo = 4;
constexpr uint32_t kTagMemoryMap = 6;

// Every tag starts with {u32 type, u32 size}, and the block itself with {u32 total_size, u32 reserved}.
constexpr size_t kTagHeaderSize = 8;
constexpr size_t kBlockHeaderSize = 8;
constexpr size_t kMinTotalSize = 16;      // The block header plus an end tag.
constexpr size_t kModuleFieldsSize = 16;  // Tag header, mod_start, mod_end.
constexpr size_t kMeminfoSize = 16;       // Tag header, mem_lower, mem_upper.
constexpr size_t kMmapHeaderSize = 16;    // Tag header, entry_size, entry_version.
constexpr size_t kMinMmapEntrySize = 24;  // base_addr, length, type, reserved.

// Fields are read a byte at a time so that no load depends on the block's alignment and so the
// code never forms a misaligned pointer (which UBSan rightly rejects on the host).
uint32_t load_u32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint64_t load_u64(const uint8_t* p)
{
    return uint64_t(load_u32(p)) | uint64_t(load_u32(p + 4)) << 32;
}

// Returns the string starting at `offset` inside a tag of `size` bytes, or nullptr when no NUL
// byte ends it before the tag does. The caller has already checked that the tag lies in the block.
const char* tag_string(const uint8_t* tag, size_t size, size_t offset)
{
    for (size_t i = offset; i < size; ++i) {
        if (tag[i] == 0) return reinterpret_cast<const char*>(tag + offset);
    }
    return nullptr;
}

// Appends the entries of one memory-map tag to `out.regions`.
Result<void> parse_memory_map(const uint8_t* tag, size_t size, BootInfo& out, const char*& why)
{
    if (size < kMmapHeaderSize) {
        why = "memory-map tag is too short";
        return Error::BadFormat;
    }
    // entry_version is ignored: the specification promises later versions only append fields,
    // and entry_size already tells us how far apart the entries are.
    size_t entry_size = load_u32(tag + 8);
    if (entry_size < kMinMmapEntrySize) {
        why = "memory-map entry_size is under 24";
        return Error::BadFormat;
    }
    if (entry_size % 8 != 0) {
        why = "memory-map entry_size is not a multiple of 8";
        return Error::BadFormat;
    }
    // A trailing partial entry means the tag size and entry_size disagree, so neither is trusted.
    size_t entries_bytes = size - kMmapHeaderSize;
    if (entries_bytes % entry_size != 0) {
        why = "memory-map entries do not fit the tag";
        return Error::BadFormat;
    }
    for (size_t at = kMmapHeaderSize; at < size; at += entry_size) {
        if (out.region_count == kMaxRegions) {
            why = "too many memory-map regions";
            return Error::BadFormat;
        }
        MemoryRegion& region = out.regions[out.region_count++];
        region.base = load_u64(tag + at);
        region.length = load_u64(tag + at + 8);
        region.type = load_u32(tag + at + 16);
    }
    return {};
}

// Records one boot module.
Result<void> parse_module(const uint8_t* tag, size_t size, BootInfo& out, const char*& why)
{
    if (size < kModuleFieldsSize) {
        why = "module tag is too short";
        return Error::BadFormat;
    }
    uint32_t start = load_u32(tag + 8);
    uint32_t end = load_u32(tag + 12);
    const char* cmdline = tag_string(tag, size, kModuleFieldsSize);
    if (cmdline == nullptr) {
        why = "module string is not NUL-terminated";
        return Error::BadFormat;
    }
    if (end < start) {
        why = "module ends before it starts";
        return Error::BadFormat;
    }
    if (out.module_count == kMaxModules) {
        why = "too many modules";
        return Error::BadFormat;
    }
    Module& module = out.modules[out.module_count++];
    module.start = start;
    module.end = end;
    module.cmdline = cmdline;
    return {};
}

// Handles one tag whose header has been checked to lie inside the block. Unknown types are skipped.
Result<void> parse_tag(uint32_t type, const uint8_t* tag, size_t size, BootInfo& out,
                       bool& saw_memory_map, const char*& why)
{
    switch (type) {
    case kTagCmdline:
        out.cmdline = tag_string(tag, size, kTagHeaderSize);
        if (out.cmdline == nullptr) {
            why = "command line is not NUL-terminated";
            return Error::BadFormat;
        }
        return {};
    case kTagBootloader:
        out.bootloader = tag_string(tag, size, kTagHeaderSize);
        if (out.bootloader == nullptr) {
            why = "boot loader name is not NUL-terminated";
            return Error::BadFormat;
        }
        return {};
    case kTagModule:
        return parse_module(tag, size, out, why);
    case kTagBasicMeminfo:
        if (size < kMeminfoSize) {
            why = "basic memory-information tag is too short";
            return Error::BadFormat;
        }
        out.mem_lower_kb = load_u32(tag + 8);
        out.mem_upper_kb = load_u32(tag + 12);
        return {};
    case kTagMemoryMap:
        saw_memory_map = true;
        return parse_memory_map(tag, size, out, why);
    default:
        return {};
    }
}

} // namespace

Result<void> parse(const void* info, size_t limit, BootInfo& out, const char*& why)
{
    // Reset field by field rather than assigning a whole BootInfo, which would make the compiler
    // emit a memset/memcpy call the freestanding kernel may not provide.
    out.cmdline = "";
    out.bootloader = "";
    out.region_count = 0;
    out.module_count = 0;
    out.mem_lower_kb = 0;
    out.mem_upper_kb = 0;

    // (1) The header: GRUB aligns the block to 8 bytes, and tags are aligned relative to its start.
    if (reinterpret_cast<uintptr_t>(info) % 8 != 0) {
        why = "information block is misaligned";
        return Error::BadFormat;
    }
    if (limit < kBlockHeaderSize) {
        why = "information block header exceeds the limit";
        return Error::BadFormat;
    }
    const uint8_t* block = static_cast<const uint8_t*>(info);
    size_t total_size = load_u32(block);
    if (total_size < kMinTotalSize) {
        why = "total_size is smaller than 16";
        return Error::BadFormat;
    }
    if (total_size > limit) {
        why = "total_size exceeds the limit";
        return Error::BadFormat;
    }

    // (2) The tags: each header, then each body, is checked to lie in [0, total_size) before use.
    bool saw_memory_map = false;
    size_t offset = kBlockHeaderSize;
    for (;;) {
        if (offset == total_size) {
            why = "no end tag";
            return Error::BadFormat;
        }
        if (kTagHeaderSize > total_size - offset) {
            why = "tag header overruns the block";
            return Error::BadFormat;
        }
        const uint8_t* tag = block + offset;
        uint32_t type = load_u32(tag);
        size_t size = load_u32(tag + 4);
        if (size < kTagHeaderSize) {
            why = "tag size is under 8";
            return Error::BadFormat;
        }
        if (size > total_size - offset) {
            why = "tag overruns the block";
            return Error::BadFormat;
        }
        if (type == kTagEnd) {
            if (size != kTagHeaderSize) {
                why = "end tag size is not 8";
                return Error::BadFormat;
            }
            break;
        }
        TRY(parse_tag(type, tag, size, out, saw_memory_map, why));

        // The next tag starts at the next 8-byte boundary; padding that reaches the end of the
        // block leaves no room for an end tag, which the top of the loop reports.
        size_t padded = size + (8 - size % 8) % 8;
        offset = padded >= total_size - offset ? total_size : offset + padded;
    }

    // (3) Whole-block requirements, checked once every tag has been seen.
    if (!saw_memory_map) {
        why = "memory-map tag is missing";
        return Error::BadFormat;
    }
    return {};
}

uint64_t available_bytes(const BootInfo& info)
{
    // The sum saturates instead of wrapping, so a hostile map cannot make memory look scarce.
    uint64_t total = 0;
    for (size_t i = 0; i < info.region_count; ++i) {
        if (info.regions[i].type != static_cast<uint32_t>(RegionType::Available)) continue;
        uint64_t length = info.regions[i].length;
        total = length > UINT64_MAX - total ? UINT64_MAX : total + length;
    }
    return total;
}

} // namespace mb2
