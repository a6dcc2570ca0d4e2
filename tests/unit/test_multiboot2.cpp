/// \file test_multiboot2.cpp
/// \brief Host tests for the multiboot2 parser: a valid block, and every malformation it rejects.
#include "lib/multiboot2.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

// Returns the raw bytes of each value in turn; the host is x86-64, so they are little-endian.
template <typename... Ts>
std::vector<uint8_t> le(Ts... values)
{
    std::vector<uint8_t> out;
    auto put = [&](const auto& v) {
        const uint8_t* b = reinterpret_cast<const uint8_t*>(&v);
        out.insert(out.end(), b, b + sizeof v);
    };
    (put(values), ...);
    return out;
}

// Returns `s` with its terminating NUL.
std::vector<uint8_t> cstr(const std::string& s) { return {s.c_str(), s.c_str() + s.size() + 1}; }

std::vector<uint8_t> operator+(std::vector<uint8_t> a, const std::vector<uint8_t>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Builds an information block tag by tag, the way GRUB lays it out.
class BlockBuilder {
public:
    // Appends a tag with the given body; `size` overrides the recorded size when non-zero.
    BlockBuilder& tag(uint32_t type, const std::vector<uint8_t>& body, uint32_t size = 0)
    {
        m_bytes = m_bytes + le(type, size != 0 ? size : uint32_t(8 + body.size())) + body;
        m_bytes.resize((m_bytes.size() + 7) / 8 * 8, 0);
        return *this;
    }
    BlockBuilder& string_tag(uint32_t type, const std::string& s) { return tag(type, cstr(s)); }
    BlockBuilder& module(uint32_t start, uint32_t end, const std::string& s)
    {
        return tag(3, le(start, end) + cstr(s));
    }
    BlockBuilder& meminfo(uint32_t lower, uint32_t upper) { return tag(4, le(lower, upper)); }
    // A memory-map tag whose entries are {base, length, type, 0} padded to `entry_size`.
    BlockBuilder& mmap(const std::vector<mb2::MemoryRegion>& regions, uint32_t entry_size = 24)
    {
        std::vector<uint8_t> body = le(entry_size, uint32_t(0));
        for (const auto& r : regions) {
            std::vector<uint8_t> entry = le(r.base, r.length, r.type, uint32_t(0));
            entry.resize(entry_size, 0xee);
            body = body + entry;
        }
        return tag(6, body);
    }
    BlockBuilder& end() { return tag(0, {}); }

    // Returns the bytes with total_size set to their length.
    std::vector<uint8_t> build() const { return with_total(m_bytes, uint32_t(m_bytes.size())); }

    // Returns `bytes` with total_size overwritten, to describe a lying or truncated block.
    static std::vector<uint8_t> with_total(std::vector<uint8_t> bytes, uint32_t total_size)
    {
        std::memcpy(bytes.data(), &total_size, 4);
        return bytes;
    }

private:
    std::vector<uint8_t> m_bytes = le(uint32_t(0), uint32_t(0));
};

// The outcome of one parse. The block is copied into a heap buffer of exactly `limit` bytes
// (new[] aligns to 16), so ASan reports any read past the limit.
struct Parsed {
    std::unique_ptr<uint8_t[]> buffer;
    mb2::BootInfo info;
    Error error = Error::None;
    std::string why;
};

// Parses `bytes` placed `shift` bytes into a buffer, letting the parser read `limit` of them
// (by default, all of them).
std::unique_ptr<Parsed> parse(
    const std::vector<uint8_t>& bytes, size_t limit = SIZE_MAX, size_t shift = 0)
{
    if (limit == SIZE_MAX)
        limit = bytes.size();
    auto p = std::make_unique<Parsed>();
    p->buffer.reset(new uint8_t[limit + shift]);
    std::memcpy(p->buffer.get() + shift, bytes.data(), std::min(limit, bytes.size()));
    const char* why = nullptr;
    Result<void> r = mb2::parse(p->buffer.get() + shift, limit, p->info, why);
    p->error = r.error();
    if (r.is_error())
        p->why = why;
    return p;
}

const std::vector<mb2::MemoryRegion> kOneRegion = {{0x100000, 0x7ee0000, 1}};

// Asserts that `bytes` is rejected with exactly `reason`.
void check_rejected(const std::vector<uint8_t>& bytes, const char* reason, size_t limit = SIZE_MAX,
    size_t shift = 0)
{
    auto p = parse(bytes, limit, shift);
    CHECK(p->error == Error::BadFormat);
    CHECK(p->why == reason);
}

// A memory map like QEMU's; type 99 is unknown and must be kept as it is.
const std::vector<mb2::MemoryRegion> kMap = {{0x0, 0x9fc00, 1}, {0x9fc00, 0x400, 2},
    {0x100000, 0x7ee0000, 1}, {0x7fe0000, 0x20000, 3}, {0xfffc0000, 0x40000, 99}};

// A block with every tag the parser reads, plus an unknown one whose size needs padding.
std::vector<uint8_t> full_block()
{
    return BlockBuilder()
        .string_tag(1, "console=serial init=/bin/sh")
        .string_tag(2, "GRUB 2.06")
        .tag(21, {1, 2, 3, 4, 5})
        .meminfo(639, 130048)
        .module(0x200000, 0x201234, "/boot/init arg1")
        .module(0x202000, 0x202000, "")
        .mmap(kMap)
        .end()
        .build();
}

} // namespace

TEST_CASE("multiboot2: a full block parses into exact values", "[multiboot2]")
{
    auto bytes = full_block();
    auto p = parse(bytes);
    REQUIRE(p->error == Error::None);
    const mb2::BootInfo& info = p->info;
    CHECK(std::string(info.cmdline) == "console=serial init=/bin/sh");
    CHECK(std::string(info.bootloader) == "GRUB 2.06");
    CHECK(info.mem_lower_kb == 639);
    CHECK(info.mem_upper_kb == 130048);

    REQUIRE(info.module_count == 2);
    CHECK(info.modules[0].start == 0x200000);
    CHECK(info.modules[0].end == 0x201234);
    CHECK(std::string(info.modules[0].cmdline) == "/boot/init arg1");
    CHECK(info.modules[1].start == 0x202000);
    CHECK(info.modules[1].end == 0x202000);
    CHECK(std::string(info.modules[1].cmdline) == "");
    // Strings point into the block itself, not into a copy.
    CHECK(reinterpret_cast<const uint8_t*>(info.cmdline) > p->buffer.get());
    CHECK(reinterpret_cast<const uint8_t*>(info.cmdline) < p->buffer.get() + bytes.size());

    REQUIRE(info.region_count == kMap.size());
    for (size_t i = 0; i < kMap.size(); ++i) {
        INFO("region " << i);
        CHECK(info.regions[i].base == kMap[i].base);
        CHECK(info.regions[i].length == kMap[i].length);
        CHECK(info.regions[i].type == kMap[i].type);
    }
    CHECK(mb2::available_bytes(info) == 0x9fc00 + 0x7ee0000);
}

TEST_CASE("multiboot2: unusual but valid blocks", "[multiboot2]")
{
    // Only the memory map is required; everything else keeps its default.
    auto p = parse(BlockBuilder().mmap(kOneRegion).end().build());
    REQUIRE(p->error == Error::None);
    CHECK((std::string(p->info.cmdline) == "" && std::string(p->info.bootloader) == ""));
    CHECK((p->info.module_count == 0 && p->info.region_count == 1));
    CHECK((p->info.mem_lower_kb == 0 && p->info.mem_upper_kb == 0));

    // Entries larger than 24 bytes (a later entry_version) are stepped over by entry_size.
    p = parse(BlockBuilder().mmap({{0x1000, 0x2000, 1}, {0x5000, 0x1000, 2}}, 32).end().build());
    REQUIRE(p->error == Error::None);
    REQUIRE(p->info.region_count == 2);
    CHECK(p->info.regions[1].base == 0x5000);
    CHECK(p->info.regions[1].length == 0x1000);
    CHECK(p->info.regions[1].type == 2);

    // Anything after the end tag is not looked at.
    CHECK(parse(BlockBuilder().mmap(kOneRegion).end().tag(1, {'x'}).build())->error == Error::None);
}

TEST_CASE("multiboot2: the block header is checked", "[multiboot2]")
{
    using B = BlockBuilder;
    auto valid = B().mmap(kOneRegion).end().build();
    check_rejected(B::with_total(valid, 15), "total_size is smaller than 16");
    check_rejected(B::with_total(valid, 0), "total_size is smaller than 16");
    check_rejected(B::with_total(valid, 0xffffffff), "total_size exceeds the limit");
    check_rejected(valid, "total_size exceeds the limit", valid.size() - 8);
    check_rejected(valid, "information block header exceeds the limit", 4);
    check_rejected(valid, "information block is misaligned", valid.size(), 4);
}

TEST_CASE("multiboot2: malformed tags are rejected with their reason", "[multiboot2]")
{
    // Most cases start from a block that already has its required memory-map tag (40 bytes).
    auto with_map = [] { return BlockBuilder().mmap(kOneRegion); };
    using B = BlockBuilder;
    auto module_unterminated = le(0x1000u, 0x2000u) + std::vector<uint8_t>{'m'};
    auto map_partial_entry = le(24u, 0u) + std::vector<uint8_t>(24 + 12, 0);
    // An 11-byte tag padded to 16 with only 12 bytes left: nothing can follow it.
    auto padded_past_end = with_map().tag(21, {1, 2, 3}).build();
    padded_past_end.resize(padded_past_end.size() - 4);

    struct Case {
        const char* what;
        std::vector<uint8_t> bytes;
        const char* reason;
    };
    const Case cases[] = {
        {"tag size under 8", with_map().tag(21, {}, 4).end().build(), "tag size is under 8"},
        {"tag past total_size", with_map().tag(21, {}, 64).end().build(),
            "tag overruns the block"},
        {"tag header cut off", B::with_total(with_map().end().build(), 8 + 40 + 4),
            "tag header overruns the block"},
        {"no end tag", with_map().build(), "no end tag"},
        {"padding reaching the end", B::with_total(padded_past_end, 8 + 40 + 12), "no end tag"},
        {"end tag of 16 bytes", with_map().tag(0, {0, 0, 0, 0, 0, 0, 0, 0}).build(),
            "end tag size is not 8"},
        {"no memory map", B().string_tag(1, "x").end().build(), "memory-map tag is missing"},
        {"memory map without entry_version", B().tag(6, le(24u)).end().build(),
            "memory-map tag is too short"},
        {"entry_size 16", B().mmap(kOneRegion, 16).end().build(),
            "memory-map entry_size is under 24"},
        {"entry_size 28", B().mmap(kOneRegion, 28).end().build(),
            "memory-map entry_size is not a multiple of 8"},
        {"partial entry", B().tag(6, map_partial_entry).end().build(),
            "memory-map entries do not fit the tag"},
        {"unterminated command line", with_map().tag(1, {'a', 'b'}).end().build(),
            "command line is not NUL-terminated"},
        {"empty command-line tag", with_map().tag(1, {}).end().build(),
            "command line is not NUL-terminated"},
        // The zero padding after a tag is not part of it, so it cannot end a string.
        {"NUL only in padding", with_map().tag(2, {'g', 'r', 'u', 'b'}).end().build(),
            "boot loader name is not NUL-terminated"},
        {"unterminated module string", with_map().tag(3, module_unterminated).end().build(),
            "module string is not NUL-terminated"},
        {"module without mod_end", with_map().tag(3, le(0x1000u)).end().build(),
            "module tag is too short"},
        {"module ending before it starts", with_map().module(0x2000, 0x1fff, "m").end().build(),
            "module ends before it starts"},
        {"meminfo without mem_upper", with_map().tag(4, le(639u)).end().build(),
            "basic memory-information tag is too short"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        check_rejected(c.bytes, c.reason);
    }
}

TEST_CASE("multiboot2: region and module counts are capped", "[multiboot2]")
{
    std::vector<mb2::MemoryRegion> regions(mb2::kMaxRegions, {0x1000, 0x1000, 1});
    auto p = parse(BlockBuilder().mmap(regions).end().build());
    CHECK(p->error == Error::None);
    CHECK(p->info.region_count == mb2::kMaxRegions);
    regions.push_back({0x2000, 0x1000, 1});
    check_rejected(BlockBuilder().mmap(regions).end().build(), "too many memory-map regions");

    BlockBuilder b;
    b.mmap(kOneRegion);
    for (size_t i = 0; i < mb2::kMaxModules; ++i)
        b.module(uint32_t(i * 0x1000), uint32_t(i * 0x1000 + 1), "m");
    p = parse(BlockBuilder(b).end().build());
    CHECK(p->error == Error::None);
    CHECK(p->info.module_count == mb2::kMaxModules);
    check_rejected(b.module(0x100000, 0x100001, "extra").end().build(), "too many modules");
}

TEST_CASE("multiboot2: available_bytes saturates instead of wrapping", "[multiboot2]")
{
    mb2::BootInfo info;
    info.region_count = 3;
    info.regions[0] = {0, UINT64_MAX - 5, 1};
    info.regions[1] = {0, 100, 2};
    info.regions[2] = {0, 10, 1};
    CHECK(mb2::available_bytes(info) == UINT64_MAX);
    info.region_count = 2;
    CHECK(mb2::available_bytes(info) == UINT64_MAX - 5);
}

TEST_CASE("multiboot2: parse never reads past limit", "[multiboot2]")
{
    auto full = full_block();
    // Every truncation, with total_size claiming the truncated length, must fail cleanly: the
    // exact-size buffers make ASan report any read past the end.
    for (size_t n = 16; n < full.size(); n += 4) {
        std::vector<uint8_t> cut(full.begin(), full.begin() + long(n));
        auto p = parse(BlockBuilder::with_total(cut, uint32_t(n)));
        CHECK(p->error == Error::BadFormat);
    }
    // Random corruptions, with a fixed seed so failures reproduce.
    std::mt19937 rng(12345);
    for (int round = 0; round < 5000; ++round) {
        std::vector<uint8_t> bytes = full;
        for (int k = 0; k < 3; ++k)
            bytes[rng() % bytes.size()] = uint8_t(rng());
        auto p = parse(bytes);
        if (p->error != Error::None)
            CHECK(!p->why.empty());
    }
}
