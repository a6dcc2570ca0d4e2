/// \file test_page_table.cpp
/// \brief Host tests for the page-table walker over a fake physical memory: map, translate, unmap, flags, teardown.
#include "mm/page_table.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2M = 2ull << 20;
constexpr uint64_t k1G = 1ull << 30;
constexpr uint64_t kUserVirt = 0x400000;              // Where user programs start.
constexpr uint64_t kKernelVirt = 0xffff800000200000;  // In the physmap, in the kernel half.
constexpr uint64_t kUserWritable = pte::kUser | pte::kWritable;

/// Physical memory for the walker: `frames` 4 KiB frames in a page-aligned host array, at fake
/// physical addresses from kBase up. It counts the frames in use and checks every access.
class FakeMemory final : public PhysicalMemory {
public:
    static constexpr uint64_t kBase = 0x10000000;  // 256 MiB: far from 0, so a null entry is caught.

    explicit FakeMemory(size_t frames) : m_frames(frames), m_in_use(frames, false)
    {
        m_storage = static_cast<uint8_t*>(std::aligned_alloc(kPage, frames * kPage));
        REQUIRE(m_storage != nullptr);
        std::memset(m_storage, 0xa5, frames * kPage);  // Garbage: allocate_zeroed_frame must zero.
    }
    ~FakeMemory() { std::free(m_storage); }
    FakeMemory(const FakeMemory&) = delete;
    FakeMemory& operator=(const FakeMemory&) = delete;

    void* to_virtual(uint64_t phys) override
    {
        REQUIRE(phys >= kBase);
        REQUIRE(phys - kBase < m_frames * kPage);
        REQUIRE(m_in_use[(phys - kBase) / kPage]);  // The walker only looks at frames it was given.
        return m_storage + (phys - kBase);
    }

    Result<uint64_t> allocate_zeroed_frame() override
    {
        if (m_limit == 0) return Error::NoMemory;
        for (size_t i = 0; i < m_frames; ++i) {
            if (m_in_use[i]) continue;
            m_in_use[i] = true;
            --m_limit;
            std::memset(m_storage + i * kPage, 0, kPage);
            return kBase + i * kPage;
        }
        return Error::NoMemory;
    }

    void free_frame(uint64_t phys) override
    {
        REQUIRE(phys % kPage == 0);
        REQUIRE(phys >= kBase);
        REQUIRE(phys - kBase < m_frames * kPage);
        REQUIRE(m_in_use[(phys - kBase) / kPage]);  // No double frees, no frees of foreign frames.
        m_in_use[(phys - kBase) / kPage] = false;
        ++m_freed;
    }

    size_t in_use() const
    {
        size_t n = 0;
        for (bool used : m_in_use) n += used;
        return n;
    }
    size_t freed() const { return m_freed; }
    /// From now on, only `frames` more allocations succeed.
    void limit(size_t frames) { m_limit = frames; }
    /// The 512 entries of the table at `phys`, to inspect or edit by hand.
    uint64_t* table(uint64_t phys) { return static_cast<uint64_t*>(to_virtual(phys)); }

private:
    size_t m_frames;
    std::vector<bool> m_in_use;
    uint8_t* m_storage = nullptr;
    size_t m_limit = SIZE_MAX;
    size_t m_freed = 0;
};

/// A fresh address space: a zeroed PML4 from the fake memory.
struct Space {
    explicit Space(size_t frames = 64) : memory(frames), root(memory.allocate_zeroed_frame().value()),
        table(memory, root)
    {
        PageTable::set_nx_supported(true);
    }
    FakeMemory memory;
    uint64_t root;
    PageTable table;

    /// A data frame from the same fake memory, so freeing it can be checked too.
    uint64_t frame() { return memory.allocate_zeroed_frame().value(); }
    /// The entry for `virt` at `level` (3 = PML4 ... 0 = PT), walking existing tables. If a
    /// table on the way is missing, the check fails and a scratch entry comes back instead.
    uint64_t& entry(uint64_t virt, int level)
    {
        static uint64_t scratch;
        uint64_t phys = root;
        for (int l = 3; l > level; --l) {
            uint64_t e = memory.table(phys)[(virt >> (12 + 9 * l)) & 0x1ff];
            if (!(e & pte::kPresent)) {
                FAIL_CHECK("no table below level " << l << " for " << std::hex << virt);
                scratch = 0;
                return scratch;
            }
            phys = e & pte::kAddressMask;
        }
        return memory.table(phys)[(virt >> (12 + 9 * level)) & 0x1ff];
    }
};

/// The translation of `virt`, or an impossible one (after a failed check) if translate() fails.
PageTable::Translation must_translate(PageTable& table, uint64_t virt)
{
    auto t = table.translate(virt);
    CHECK_FALSE(t.is_error());
    return t.is_error() ? PageTable::Translation{UINT64_MAX, 0} : t.value();
}

} // namespace

TEST_CASE("PageTable: map then translate gives the frame plus the offset", "[page_table][map]")
{
    Space s;
    uint64_t frame = 0x12345000;
    REQUIRE_FALSE(s.table.map(kUserVirt, frame, kUserWritable).is_error());
    CHECK(must_translate(s.table, kUserVirt).phys == frame);
    CHECK(must_translate(s.table, kUserVirt + 0x123).phys == frame + 0x123);
    CHECK(must_translate(s.table, kUserVirt + kPage - 1).phys == frame + kPage - 1);
    CHECK((must_translate(s.table, kUserVirt).flags & pte::kPresent));
    // The neighbours are not mapped.
    CHECK(s.table.translate(kUserVirt + kPage).error() == Error::NotFound);
    CHECK(s.table.translate(kUserVirt - 1).error() == Error::NotFound);
}

TEST_CASE("PageTable: map allocates exactly the missing tables, zeroed", "[page_table][map]")
{
    Space s;
    REQUIRE(s.memory.in_use() == 1);  // The PML4.
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x100000, 0).is_error());
    CHECK(s.memory.in_use() == 4);    // + PDPT, PD, PT.
    REQUIRE_FALSE(s.table.map(kUserVirt + kPage, 0x101000, 0).is_error());
    CHECK(s.memory.in_use() == 4);    // Same page table.
    REQUIRE_FALSE(s.table.map(kUserVirt + k2M, 0x102000, 0).is_error());
    CHECK(s.memory.in_use() == 5);    // A new PT under the same PD.
    REQUIRE_FALSE(s.table.map(kUserVirt + k1G, 0x103000, 0).is_error());
    CHECK(s.memory.in_use() == 7);    // A new PD and PT under the same PDPT.
    REQUIRE_FALSE(s.table.map(kUserVirt + (1ull << 39), 0x104000, 0).is_error());
    CHECK(s.memory.in_use() == 10);   // A new PDPT, PD and PT.
    // The fresh tables were zeroed: nothing else became mapped.
    CHECK(s.table.translate(kUserVirt + 2 * kPage).error() == Error::NotFound);
    CHECK(s.table.translate(kUserVirt + k2M + kPage).error() == Error::NotFound);
    CHECK(s.table.translate(kUserVirt + (1ull << 39) + k1G).error() == Error::NotFound);
    // Each mapping still translates to its own frame.
    CHECK(must_translate(s.table, kUserVirt + kPage).phys == 0x101000);
    CHECK(must_translate(s.table, kUserVirt + k1G).phys == 0x103000);
    CHECK(must_translate(s.table, kUserVirt + (1ull << 39)).phys == 0x104000);
}

TEST_CASE("PageTable: unmap returns the frame and the page can be mapped again", "[page_table][map]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x200000, pte::kWritable).is_error());
    REQUIRE_FALSE(s.table.map(kUserVirt + kPage, 0x201000, pte::kWritable).is_error());
    Result<uint64_t> frame = s.table.unmap(kUserVirt);
    REQUIRE_FALSE(frame.is_error());
    CHECK(frame.value() == 0x200000);
    CHECK(s.table.translate(kUserVirt).error() == Error::NotFound);
    CHECK(s.table.unmap(kUserVirt).error() == Error::NotFound);
    // The neighbour is untouched.
    CHECK(must_translate(s.table, kUserVirt + kPage).phys == 0x201000);
    // Mapped again, to another frame.
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x300000, 0).is_error());
    CHECK(must_translate(s.table, kUserVirt).phys == 0x300000);
}

TEST_CASE("PageTable: kernel-half addresses map and translate too", "[page_table][map]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kKernelVirt, 0x5000, pte::kWritable | pte::kGlobal).is_error());
    REQUIRE_FALSE(s.table.map(0xfffffffffffff000, 0x6000, 0).is_error());  // The very last page.
    CHECK(must_translate(s.table, kKernelVirt + 8).phys == 0x5008);
    CHECK(must_translate(s.table, 0xffffffffffffffff).phys == 0x6fff);
    Result<uint64_t> frame = s.table.unmap(0xfffffffffffff000);
    REQUIRE_FALSE(frame.is_error());
    CHECK(frame.value() == 0x6000);
}

TEST_CASE("PageTable: the leaf entry holds the frame, Present and the flags", "[page_table][flags]")
{
    Space s;
    uint64_t flags = pte::kWritable | pte::kUser | pte::kNoExecute | pte::kCacheDisable;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x7000, flags).is_error());
    CHECK(s.entry(kUserVirt, 0) == (0x7000 | flags | pte::kPresent));
    auto t = must_translate(s.table, kUserVirt);
    CHECK(t.flags == (flags | pte::kPresent));
}

TEST_CASE("PageTable: without NX support the no-execute bit is left out", "[page_table][flags]")
{
    Space s;
    PageTable::set_nx_supported(false);
    Result<void> mapped = s.table.map(kUserVirt, 0x7000, pte::kNoExecute | pte::kWritable);
    PageTable::set_nx_supported(true);
    REQUIRE_FALSE(mapped.is_error());
    CHECK(s.entry(kUserVirt, 0) == (0x7000 | pte::kWritable | pte::kPresent));
}

TEST_CASE("PageTable: User and Writable are effective only if set at every level", "[page_table][flags]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, kUserWritable).is_error());
    REQUIRE_FALSE(s.table.map(kUserVirt + kPage, 0x2000, pte::kUser).is_error());
    REQUIRE_FALSE(s.table.map(kUserVirt + 2 * kPage, 0x3000, pte::kWritable).is_error());
    REQUIRE_FALSE(s.table.map(kUserVirt + 3 * kPage, 0x4000, 0).is_error());

    // Lower-half tables are permissive (user, writable): the leaf decides.
    CHECK((must_translate(s.table, kUserVirt).flags & kUserWritable) == kUserWritable);
    CHECK((must_translate(s.table, kUserVirt + kPage).flags & kUserWritable) == pte::kUser);
    CHECK((must_translate(s.table, kUserVirt + 2 * kPage).flags & kUserWritable) == pte::kWritable);
    CHECK((must_translate(s.table, kUserVirt + 3 * kPage).flags & kUserWritable) == 0);
    for (int level = 3; level > 0; --level)
        CHECK((s.entry(kUserVirt, level) & (kUserWritable | pte::kPresent)) == (kUserWritable | pte::kPresent));

    SECTION("an intermediate table without Writable makes the page read-only")
    {
        s.entry(kUserVirt, 1) &= ~pte::kWritable;  // The PD entry.
        auto t = must_translate(s.table, kUserVirt);
        CHECK((t.flags & kUserWritable) == pte::kUser);
        CHECK(t.phys == 0x1000);
    }
    SECTION("an intermediate table without User makes the page kernel-only")
    {
        s.entry(kUserVirt, 3) &= ~pte::kUser;  // The PML4 entry.
        CHECK((must_translate(s.table, kUserVirt).flags & kUserWritable) == pte::kWritable);
    }
    SECTION("kernel-half tables do not grant User, even if the leaf asks for it")
    {
        REQUIRE_FALSE(s.table.map(kKernelVirt, 0x9000, kUserWritable).is_error());
        CHECK((s.entry(kKernelVirt, 3) & pte::kUser) == 0);
        CHECK((must_translate(s.table, kKernelVirt).flags & kUserWritable) == pte::kWritable);
    }
}

TEST_CASE("PageTable: mapping a mapped page is Busy and changes nothing", "[page_table][errors]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, pte::kWritable).is_error());
    size_t tables = s.memory.in_use();
    CHECK(s.table.map(kUserVirt, 0x2000, pte::kUser).error() == Error::Busy);
    auto t = must_translate(s.table, kUserVirt);
    CHECK(t.phys == 0x1000);
    CHECK((t.flags & kUserWritable) == pte::kWritable);
    CHECK(s.memory.in_use() == tables);
}

TEST_CASE("PageTable: a 2 MiB page in the way is Busy", "[page_table][errors]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, 0).is_error());
    // Turn the PD entry for the next 2 MiB into a large page by hand.
    uint64_t big = kUserVirt + k2M;
    s.entry(big, 1) = 0x40000000 | pte::kPresent | pte::kWritable | pte::kHuge;
    CHECK(s.table.map(big + 5 * kPage, 0x2000, 0).error() == Error::Busy);
    CHECK(s.entry(big, 1) == (0x40000000 | pte::kPresent | pte::kWritable | pte::kHuge));
}

TEST_CASE("PageTable: unaligned or non-canonical addresses are InvalidArgument", "[page_table][errors]")
{
    Space s;
    CHECK(s.table.map(kUserVirt + 1, 0x1000, 0).error() == Error::InvalidArgument);
    CHECK(s.table.map(kUserVirt + 0x800, 0x1000, 0).error() == Error::InvalidArgument);
    CHECK(s.table.map(kUserVirt, 0x1010, 0).error() == Error::InvalidArgument);
    // The first non-canonical address, and one just below the kernel half.
    CHECK(s.table.map(0x0000800000000000, 0x1000, 0).error() == Error::InvalidArgument);
    CHECK(s.table.map(0xffff7ffffffff000, 0x1000, 0).error() == Error::InvalidArgument);
    // A frame beyond the 52-bit physical address space.
    CHECK(s.table.map(kUserVirt, 1ull << 52, 0).error() == Error::InvalidArgument);
    // Nothing was allocated on the way to those errors.
    CHECK(s.memory.in_use() == 1);
    CHECK(s.table.unmap(kUserVirt + 8).error() == Error::InvalidArgument);
    CHECK(s.table.unmap(0x0000800000000000).error() == Error::InvalidArgument);
}

TEST_CASE("PageTable: unmapped addresses are NotFound", "[page_table][errors]")
{
    Space s;
    CHECK(s.table.translate(kUserVirt).error() == Error::NotFound);
    CHECK(s.table.translate(0).error() == Error::NotFound);
    CHECK(s.table.translate(0x0000800000000000).error() == Error::NotFound);  // Non-canonical.
    CHECK(s.table.unmap(kUserVirt).error() == Error::NotFound);
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, 0).is_error());
    // Present tables, but an empty leaf; and a missing table at each level above.
    CHECK(s.table.translate(kUserVirt + kPage).error() == Error::NotFound);
    CHECK(s.table.unmap(kUserVirt + kPage).error() == Error::NotFound);
    CHECK(s.table.unmap(kUserVirt + k2M).error() == Error::NotFound);
    CHECK(s.table.unmap(kUserVirt + k1G).error() == Error::NotFound);
    CHECK(s.table.unmap(kUserVirt + (1ull << 39)).error() == Error::NotFound);
    CHECK(must_translate(s.table, kUserVirt).phys == 0x1000);
}

TEST_CASE("PageTable: map reports NoMemory when a table cannot be allocated", "[page_table][errors]")
{
    Space s;
    s.memory.limit(2);  // Enough for a PDPT and a PD, not for the PT.
    CHECK(s.table.map(kUserVirt, 0x1000, 0).error() == Error::NoMemory);
    CHECK(s.table.translate(kUserVirt).error() == Error::NotFound);
    s.memory.limit(SIZE_MAX);
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, 0).is_error());
    CHECK(must_translate(s.table, kUserVirt).phys == 0x1000);
}

TEST_CASE("PageTable: translate follows a 2 MiB page", "[page_table][huge]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x1000, kUserWritable).is_error());  // Builds the PDPT and PD.
    uint64_t big = 0x600000;  // The next 2 MiB after kUserVirt's, under the same PD.
    s.entry(big, 1) = 0x80000000 | pte::kPresent | pte::kUser | pte::kHuge;
    auto t = must_translate(s.table, big + 0x12345);
    CHECK(t.phys == 0x80012345);
    CHECK((t.flags & pte::kHuge));
    CHECK((t.flags & kUserWritable) == pte::kUser);
    CHECK(must_translate(s.table, big + k2M - 1).phys == 0x80000000 + k2M - 1);
    CHECK(s.table.translate(big + k2M).error() == Error::NotFound);
    // unmap only removes 4 KiB pages.
    CHECK(s.table.unmap(big).error() == Error::NotFound);
}

TEST_CASE("PageTable: translate follows a 1 GiB page", "[page_table][huge]")
{
    Space s;
    REQUIRE_FALSE(s.table.map(kKernelVirt, 0x1000, pte::kWritable).is_error());  // Builds the PDPT.
    uint64_t giant = 0xffff800040000000;  // The second GiB of the physmap.
    s.entry(giant, 2) = k1G | pte::kPresent | pte::kWritable | pte::kHuge | pte::kNoExecute;
    auto t = must_translate(s.table, giant + 0x3456789);
    CHECK(t.phys == k1G + 0x3456789);
    CHECK((t.flags & pte::kNoExecute));
    CHECK((t.flags & kUserWritable) == pte::kWritable);
}

TEST_CASE("PageTable: free_user_half returns every table frame", "[page_table][free_user_half]")
{
    Space s(128);
    // Three regions of user space with 7 tables between them, and one kernel-half page.
    std::vector<uint64_t> frames;
    for (uint64_t virt : {kUserVirt, kUserVirt + kPage, kUserVirt + k1G, uint64_t{0x7fffffffe000}}) {
        frames.push_back(s.frame());
        REQUIRE_FALSE(s.table.map(virt, frames.back(), kUserWritable).is_error());
    }
    REQUIRE_FALSE(s.table.map(kKernelVirt, 0x5000, pte::kWritable).is_error());
    // PML4 + 4 data frames + user tables (PDPT, PD, PT; PD, PT; PDPT, PD, PT) + kernel (PDPT, PD, PT).
    REQUIRE(s.memory.in_use() == 1 + 4 + 8 + 3);

    SECTION("keeping the mapped frames")
    {
        s.table.free_user_half(false);
        CHECK(s.memory.in_use() == 1 + 4 + 3);
        CHECK(s.memory.freed() == 8);
    }
    SECTION("freeing the mapped frames too")
    {
        s.table.free_user_half(true);
        CHECK(s.memory.in_use() == 1 + 3);
        CHECK(s.memory.freed() == 12);
    }
    // The user half is empty, the kernel half is untouched.
    for (int i = 0; i < 256; ++i) CHECK(s.memory.table(s.root)[i] == 0);
    CHECK(s.table.translate(kUserVirt).error() == Error::NotFound);
    CHECK(must_translate(s.table, kKernelVirt).phys == 0x5000);
    // The address space can be used again.
    REQUIRE_FALSE(s.table.map(kUserVirt, 0x9000, 0).is_error());
    CHECK(must_translate(s.table, kUserVirt).phys == 0x9000);
}
