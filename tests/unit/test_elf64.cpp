/// \file test_elf64.cpp
/// \brief Host tests for the ELF64 checker: a valid executable, and every malformation it rejects.
#include "lib/elf64.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtGnuStack = 0x6474e551;
constexpr uint32_t kR = 4, kW = 2, kX = 1;

// The window used by most tests: user space from 4 MiB to the top of the lower half.
constexpr elf::AddressLimits kLimits = {0x400000, 0x800000000000, 0x1000};

// One program header, as the test wants it written.
struct Phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
};

// Field offsets used to corrupt a built image.
constexpr size_t kOffType = 16, kOffMachine = 18, kOffVersion = 20, kOffEntry = 24;
constexpr size_t kOffPhoff = 32, kOffPhentsize = 54, kOffPhnum = 56, kPhdrs = 64;

template <typename T> void put(std::vector<uint8_t>& bytes, size_t at, T value)
{
    std::memcpy(bytes.data() + at, &value, sizeof value);
}

// Builds an ELF64 executable with the program headers right after the file header, padded with
// a byte pattern to `file_size` (or to just past the headers, whichever is larger).
std::vector<uint8_t> build(const std::vector<Phdr>& phdrs, uint64_t entry, size_t file_size)
{
    std::vector<uint8_t> bytes(std::max(file_size, kPhdrs + 56 * phdrs.size()));
    for (size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = uint8_t(i * 7);
    std::memset(bytes.data(), 0, kPhdrs);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(bytes.data(), ident, sizeof ident);
    put<uint16_t>(bytes, kOffType, 2);
    put<uint16_t>(bytes, kOffMachine, 62);
    put<uint32_t>(bytes, kOffVersion, 1);
    put<uint64_t>(bytes, kOffEntry, entry);
    put<uint64_t>(bytes, kOffPhoff, kPhdrs);
    put<uint16_t>(bytes, 52, 64); // e_ehsize
    put<uint16_t>(bytes, kOffPhentsize, 56);
    put<uint16_t>(bytes, kOffPhnum, uint16_t(phdrs.size()));
    for (size_t i = 0; i < phdrs.size(); ++i) {
        size_t at = kPhdrs + 56 * i;
        const Phdr& p = phdrs[i];
        put(bytes, at + 0, p.type);
        put(bytes, at + 4, p.flags);
        put(bytes, at + 8, p.offset);
        put(bytes, at + 16, p.vaddr);
        put(bytes, at + 24, p.vaddr); // p_paddr
        put(bytes, at + 32, p.filesz);
        put(bytes, at + 40, p.memsz);
        put<uint64_t>(bytes, at + 48, 0x1000); // p_align
    }
    return bytes;
}

// A typical static executable: text, then data with a bss tail, then a non-load header.
const Phdr kText = {kPtLoad, kR | kX, 0x1000, 0x401000, 0x234, 0x234};
const Phdr kData = {kPtLoad, kR | kW, 0x2010, 0x403010, 0x10, 0x2000};
const Phdr kStack = {kPtGnuStack, kR | kW, 0, 0, 0, 0};
constexpr uint64_t kEntry = 0x401010;

std::vector<uint8_t> valid_image() { return build({kText, kData, kStack}, kEntry, 0x2020); }

// The outcome of one parse. The image is copied into a heap buffer of exactly `size` bytes so
// that ASan reports any read past its end.
struct Parsed {
    elf::Image image;
    Error error = Error::None;
    std::string why;
};

Parsed parse(const std::vector<uint8_t>& bytes, const elf::AddressLimits& limits = kLimits)
{
    std::unique_ptr<uint8_t[]> buffer(new uint8_t[bytes.size()]);
    if (!bytes.empty())
        std::memcpy(buffer.get(), bytes.data(), bytes.size());
    Parsed p;
    const char* why = nullptr;
    Result<void> r = elf::parse(buffer.get(), bytes.size(), limits, p.image, why);
    p.error = r.error();
    if (r.is_error())
        p.why = why;
    return p;
}

void check_rejected(const std::vector<uint8_t>& bytes, const char* reason,
    const elf::AddressLimits& limits = kLimits)
{
    Parsed p = parse(bytes, limits);
    CHECK(p.error == Error::BadFormat);
    CHECK(p.why == reason);
}

} // namespace

TEST_CASE("elf64: a valid executable yields its entry and segments", "[elf64]")
{
    Parsed p = parse(valid_image());
    REQUIRE(p.error == Error::None);
    CHECK(p.image.entry == kEntry);
    REQUIRE(p.image.segment_count == 2);
    const elf::Segment& text = p.image.segments[0];
    CHECK(text.vaddr == 0x401000);
    CHECK(text.memsz == 0x234);
    CHECK(text.offset == 0x1000);
    CHECK(text.filesz == 0x234);
    CHECK(text.readable);
    CHECK_FALSE(text.writable);
    CHECK(text.executable);
    const elf::Segment& data = p.image.segments[1];
    CHECK(data.vaddr == 0x403010);
    CHECK(data.memsz == 0x2000);
    CHECK(data.offset == 0x2010);
    CHECK(data.filesz == 0x10);
    CHECK(data.readable);
    CHECK(data.writable);
    CHECK_FALSE(data.executable);
}

TEST_CASE("elf64: boundary cases that are accepted", "[elf64]")
{
    SECTION("segments in adjacent pages")
    {
        Phdr data = {kPtLoad, kR | kW, 0x2000, 0x402000, 0x10, 0x10};
        CHECK(parse(build({kText, data}, kEntry, 0x3000)).error == Error::None);
    }
    SECTION("segment ending exactly at user_max and starting at user_min")
    {
        Phdr low = {kPtLoad, kR | kX, 0x0, 0x400000, 0x100, 0x1000};
        Phdr high = {kPtLoad, kR, 0x0, 0x800000000000 - 0x1000, 0x100, 0x1000};
        CHECK(parse(build({low, high}, 0x400000, 0x1000)).error == Error::None);
    }
    SECTION("entry in a later executable segment")
    {
        Phdr code2 = {kPtLoad, kR | kX, 0x2010, 0x406010, 0x10, 0x10};
        Parsed p = parse(build({kText, kData, code2}, 0x406018, 0x3000));
        CHECK(p.error == Error::None);
        CHECK(p.image.entry == 0x406018);
        CHECK(p.image.segment_count == 3);
    }
    SECTION("entry at the last byte of the executable segment")
    {
        CHECK(parse(build({kText}, 0x401233, 0x2000)).error == Error::None);
    }
    SECTION("exactly kMaxSegments segments")
    {
        std::vector<Phdr> phdrs;
        for (uint64_t i = 0; i < elf::kMaxSegments; ++i)
            phdrs.push_back({kPtLoad, kR | kX, 0, 0x400000 + i * 0x1000, 0x10, 0x10});
        Parsed p = parse(build(phdrs, 0x400000, 0x1000));
        CHECK(p.error == Error::None);
        CHECK(p.image.segment_count == elf::kMaxSegments);
    }
}

TEST_CASE("elf64: the file header is checked", "[elf64]")
{
    auto bytes = valid_image();
    check_rejected(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 63),
        "file is shorter than the ELF header");
    check_rejected({}, "file is shorter than the ELF header");

    // Each case overwrites one little-endian field of the valid image.
    struct Patch {
        size_t at;
        size_t width;
        uint64_t value;
        const char* reason;
    };
    const Patch patches[] = {
        {1, 1, 'X', "not an ELF file"},
        {4, 1, 1, "not a 64-bit ELF file"},
        {5, 1, 2, "not a little-endian ELF file"},
        {6, 1, 0, "unsupported ELF version"},
        {kOffVersion, 4, 2, "unsupported ELF version"},
        {kOffType, 2, 3, "not an executable (ET_EXEC) file"},
        {kOffMachine, 2, 3, "not an x86-64 file"},
        {kOffPhentsize, 2, 64, "program header size is not 56"},
        {kOffPhoff, 8, 0x2021, "program headers lie outside the file"},
        {kOffPhoff, 8, 0x2020 - 3 * 56 + 1, "program headers lie outside the file"},
        {kOffPhoff, 8, UINT64_MAX - 8, "program headers lie outside the file"},
        {kOffPhnum, 2, 0xffff, "program headers lie outside the file"},
    };
    for (const Patch& patch : patches) {
        INFO("field at " << patch.at << " set to " << patch.value);
        std::vector<uint8_t> patched = bytes;
        std::memcpy(patched.data() + patch.at, &patch.value, patch.width);
        check_rejected(patched, patch.reason);
    }
}

TEST_CASE("elf64: the PT_LOAD count is checked", "[elf64]")
{
    check_rejected(build({}, kEntry, 0x2000), "no PT_LOAD segment");
    check_rejected(build({kStack}, kEntry, 0x2000), "no PT_LOAD segment");
    std::vector<Phdr> phdrs;
    for (uint64_t i = 0; i <= elf::kMaxSegments; ++i)
        phdrs.push_back({kPtLoad, kR, 0, 0x400000 + i * 0x1000, 0x10, 0x10});
    check_rejected(build(phdrs, 0x400000, 0x1000), "too many PT_LOAD segments");
}

TEST_CASE("elf64: each segment is checked", "[elf64]")
{
    // Each case replaces the data segment of a 0x3000-byte file whose text is kText.
    struct Case {
        const char* what;
        Phdr data;
        const char* reason;
    };
    constexpr uint64_t kMax = UINT64_MAX;
    const char* const kOutside = "segment outside user space";
    const char* const kOverlap = "segment overlaps another segment's pages";
    const Case cases[] = {
        {"filesz > memsz", {kPtLoad, kR, 0x2010, 0x403010, 0x11, 0x10},
            "segment filesz exceeds memsz"},
        {"file bytes past the end", {kPtLoad, kR, 0x2010, 0x403010, 0xff1, 0x1000},
            "segment file bytes lie outside the file"},
        {"offset past the end", {kPtLoad, kR, 0x3010, 0x404010, 0, 0x10},
            "segment file bytes lie outside the file"},
        {"offset near 2^64", {kPtLoad, kR, kMax - 0xfef, 0x403010, 0x10, 0x10},
            "segment file bytes lie outside the file"},
        {"offset + filesz wrapping", {kPtLoad, kR, 0x2010, 0x403010, kMax - 0x100, kMax - 0x100},
            "segment file bytes lie outside the file"},
        {"vaddr + memsz wrapping", {kPtLoad, kR, 0x2010, kMax - 0xfef, 0x10, 0x1000},
            "segment address range overflows"},
        {"page-rounded end wrapping", {kPtLoad, kR, 0x2010, kMax - 0x1fef, 0x10, 0x1fe0},
            "segment address range overflows"},
        {"below user_min", {kPtLoad, kR, 0x2010, 0x3ff010, 0x10, 0x10}, kOutside},
        {"past user_max", {kPtLoad, kR, 0x2010, 0x7ffffffff010, 0x10, 0x2000}, kOutside},
        {"in the kernel half", {kPtLoad, kR, 0x2010, 0xffffffff80001010, 0x10, 0x10}, kOutside},
        {"vaddr and offset disagreeing", {kPtLoad, kR, 0x2010, 0x403018, 0x10, 0x10},
            "segment vaddr and offset disagree modulo the page size"},
        {"starting in text's last page", {kPtLoad, kR, 0x1800, 0x401800, 0x10, 0x10}, kOverlap},
        {"spilling into text's first page", {kPtLoad, kR, 0x2ff0, 0x400ff0, 0x10, 0x20}, kOverlap},
        {"containing text", {kPtLoad, kR, 0, 0x400000, 0, 0x10000}, kOverlap},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        check_rejected(build({kText, c.data}, kEntry, 0x3000), c.reason);
    }
    // Overlap is checked against every earlier segment, not just the one before.
    Phdr third = {kPtLoad, kR, 0x1800, 0x401800, 0x10, 0x10};
    check_rejected(build({kText, kData, third}, kEntry, 0x3000), kOverlap);
}

TEST_CASE("elf64: the entry point must be in an executable segment", "[elf64]")
{
    // Before every segment, one past the end of text, and inside the non-executable data.
    for (uint64_t entry : {0x400fffull, 0x401234ull, 0x403020ull}) {
        INFO("entry " << std::hex << entry);
        check_rejected(build({kText, kData}, entry, 0x3000),
            "entry point is not in an executable segment");
    }
}

TEST_CASE("elf64: nonsensical address limits are refused", "[elf64]")
{
    auto bytes = valid_image();
    check_rejected(bytes, "address limits are invalid", {0x400000, 0x800000000000, 0});
    check_rejected(bytes, "address limits are invalid", {0x400000, 0x800000000000, 0x1800});
    check_rejected(bytes, "address limits are invalid", {0x800000000000, 0x400000, 0x1000});
}

TEST_CASE("elf64: parse never reads past the file", "[elf64]")
{
    auto full = valid_image();
    // Every truncation must fail cleanly; the exact-size buffers make ASan catch any overread.
    for (size_t n = 0; n < full.size(); n += (n < 0x200 ? 1 : 0x40)) {
        Parsed p = parse(std::vector<uint8_t>(full.begin(), full.begin() + long(n)));
        CHECK(p.error == Error::BadFormat);
    }
    // Random corruptions of the headers, with a fixed seed so failures reproduce.
    std::mt19937 rng(54321);
    for (int round = 0; round < 5000; ++round) {
        std::vector<uint8_t> bytes = full;
        for (int k = 0; k < 3; ++k)
            bytes[rng() % (kPhdrs + 3 * 56)] = uint8_t(rng());
        Parsed p = parse(bytes);
        if (p.error != Error::None)
            CHECK(!p.why.empty());
    }
}
