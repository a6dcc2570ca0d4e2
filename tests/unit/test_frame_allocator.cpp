/// \file test_frame_allocator.cpp
/// \brief Host tests for the bitmap frame allocator: ranges, next-fit, exhaustion, frees, contiguous runs.
#include "mm/frame_allocator.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace {

constexpr uint64_t kFrame = FrameAllocator::kFrameSize;

/// An allocator over `frames` frames with its own bitmap; everything starts used.
struct Allocator {
    explicit Allocator(uint64_t frames) : bitmap((frames + 63) / 64, 0) { a.init(bitmap.data(), frames); }
    std::vector<uint64_t> bitmap;
    FrameAllocator a;

    /// Which frames are used, for comparing whole states.
    std::vector<bool> used() const
    {
        std::vector<bool> state;
        for (uint64_t f = 0; f < a.total_frames(); ++f) state.push_back(a.is_used(f * kFrame));
        return state;
    }
};

/// One frame, or an impossible address (after a failed check) if allocate() fails.
uint64_t must_allocate(FrameAllocator& a)
{
    Result<uint64_t> r = a.allocate();
    CHECK_FALSE(r.is_error());
    return r.is_error() ? UINT64_MAX : r.value();
}

} // namespace

TEST_CASE("FrameAllocator: init marks every frame used", "[frame_allocator][ranges]")
{
    Allocator t(100);
    CHECK(t.a.total_frames() == 100);
    CHECK(t.a.free_frames() == 0);
    for (uint64_t f = 0; f < 100; ++f) CHECK(t.a.is_used(f * kFrame));
    // Beyond the covered range everything counts as used.
    CHECK(t.a.is_used(100 * kFrame));
}

TEST_CASE("FrameAllocator: add_free_range frees only whole frames", "[frame_allocator][ranges]")
{
    Allocator t(16);
    // [0x1800, 0x4800): frame 1 and frame 4 are only partly inside; frames 2 and 3 are whole.
    t.a.add_free_range(0x1800, 0x3000);
    CHECK(t.a.free_frames() == 2);
    CHECK(t.a.is_used(0x1000));
    CHECK_FALSE(t.a.is_used(0x2000));
    CHECK_FALSE(t.a.is_used(0x3000));
    CHECK(t.a.is_used(0x4000));

    // Freeing again changes nothing; an empty range is ignored; a range smaller than a frame frees nothing.
    t.a.add_free_range(0x2000, 0x2000);
    t.a.add_free_range(0x8000, 0);
    t.a.add_free_range(0x9001, 0xfff);
    CHECK(t.a.free_frames() == 2);

    // The part of a range beyond the covered frames is ignored.
    t.a.add_free_range(14 * kFrame, 100 * kFrame);
    CHECK(t.a.free_frames() == 4);
    // A range that would wrap around the address space is ignored.
    t.a.add_free_range(UINT64_MAX - 0xfff, 0x2000);
    CHECK(t.a.free_frames() == 4);
}

TEST_CASE("FrameAllocator: reserve_range takes every frame it touches", "[frame_allocator][ranges]")
{
    Allocator t(16);
    t.a.add_free_range(0, 16 * kFrame);
    REQUIRE(t.a.free_frames() == 16);
    // Two bytes straddling the boundary of frames 2 and 3.
    t.a.reserve_range(0x2fff, 2);
    CHECK(t.a.free_frames() == 14);
    CHECK(t.a.is_used(0x2000));
    CHECK(t.a.is_used(0x3000));
    CHECK_FALSE(t.a.is_used(0x4000));
    // Reserving a reserved frame again does not count twice; an empty range is ignored.
    t.a.reserve_range(0x2000, 1);
    t.a.reserve_range(0x5000, 0);
    CHECK(t.a.free_frames() == 14);
    // A range running past the covered frames (or the address space) stops at the last frame.
    t.a.reserve_range(15 * kFrame, UINT64_MAX);
    CHECK(t.a.free_frames() == 13);
    CHECK(t.a.is_used(15 * kFrame));
}

TEST_CASE("FrameAllocator: allocate is next-fit and wraps around", "[frame_allocator][allocate]")
{
    Allocator t(8);
    t.a.add_free_range(0, 8 * kFrame);
    CHECK(must_allocate(t.a) == 0x0000);
    CHECK(must_allocate(t.a) == 0x1000);
    CHECK(must_allocate(t.a) == 0x2000);
    CHECK(t.a.free_frames() == 5);
    CHECK(t.a.is_used(0x1000));

    // A freed frame is not reused at once: the search carries on from where the last one ended.
    REQUIRE_FALSE(t.a.free(0x1000).is_error());
    CHECK(must_allocate(t.a) == 0x3000);
    CHECK(must_allocate(t.a) == 0x4000);
    CHECK(must_allocate(t.a) == 0x5000);
    CHECK(must_allocate(t.a) == 0x6000);
    CHECK(must_allocate(t.a) == 0x7000);
    // Past the last frame the search wraps around to the freed one.
    CHECK(must_allocate(t.a) == 0x1000);
    CHECK(t.a.free_frames() == 0);
}

TEST_CASE("FrameAllocator: allocate skips used frames, also across bitmap words", "[frame_allocator][allocate]")
{
    Allocator t(300);
    t.a.add_free_range(130 * kFrame, kFrame);  // The only free frames: 130 and 299.
    t.a.add_free_range(299 * kFrame, kFrame);
    CHECK(must_allocate(t.a) == 130 * kFrame);
    CHECK(must_allocate(t.a) == 299 * kFrame);
    CHECK(t.a.allocate().error() == Error::NoMemory);
}

TEST_CASE("FrameAllocator: exhaustion is NoMemory, and a free makes room again", "[frame_allocator][allocate]")
{
    // 100 frames: not a whole number of 64-bit words, so the last word is partial.
    Allocator t(100);
    t.a.add_free_range(0, 1 << 20);
    REQUIRE(t.a.free_frames() == 100);
    std::vector<bool> seen(100, false);
    for (int i = 0; i < 100; ++i) {
        uint64_t phys = must_allocate(t.a);
        REQUIRE(phys % kFrame == 0);
        REQUIRE(phys < 100 * kFrame);
        REQUIRE_FALSE(seen[phys / kFrame]);
        seen[phys / kFrame] = true;
    }
    CHECK(t.a.free_frames() == 0);
    Result<uint64_t> none = t.a.allocate();
    REQUIRE(none.is_error());
    CHECK(none.error() == Error::NoMemory);
    CHECK(t.a.free_frames() == 0);

    REQUIRE_FALSE(t.a.free(42 * kFrame).is_error());
    CHECK(t.a.free_frames() == 1);
    CHECK(must_allocate(t.a) == 42 * kFrame);
    CHECK(t.a.allocate().error() == Error::NoMemory);
}

TEST_CASE("FrameAllocator: an allocator with no free frames", "[frame_allocator][allocate]")
{
    Allocator t(64);
    CHECK(t.a.allocate().error() == Error::NoMemory);
    CHECK(t.a.allocate_contiguous(1, 1).error() == Error::NoMemory);
}

TEST_CASE("FrameAllocator: free returns a frame", "[frame_allocator][free]")
{
    Allocator t(8);
    t.a.add_free_range(0, 8 * kFrame);
    uint64_t phys = must_allocate(t.a);
    CHECK(t.a.free_frames() == 7);
    Result<void> freed = t.a.free(phys);
    CHECK_FALSE(freed.is_error());
    CHECK(t.a.free_frames() == 8);
    CHECK_FALSE(t.a.is_used(phys));
}

TEST_CASE("FrameAllocator: a bad free is InvalidArgument and changes nothing", "[frame_allocator][free]")
{
    Allocator t(16);
    t.a.add_free_range(0, 16 * kFrame);
    uint64_t a = must_allocate(t.a);
    uint64_t b = must_allocate(t.a);
    REQUIRE(a == 0);
    REQUIRE(b == 0x1000);
    const std::vector<bool> before = t.used();
    const uint64_t free_before = t.a.free_frames();

    auto unchanged = [&] {
        CHECK(t.a.free_frames() == free_before);
        CHECK(t.used() == before);
    };
    SECTION("unaligned")
    {
        CHECK(t.a.free(b + 8).error() == Error::InvalidArgument);
        CHECK(t.a.free(b + kFrame - 1).error() == Error::InvalidArgument);
        unchanged();
    }
    SECTION("beyond the covered frames")
    {
        CHECK(t.a.free(16 * kFrame).error() == Error::InvalidArgument);
        CHECK(t.a.free(1ull << 40).error() == Error::InvalidArgument);
        CHECK(t.a.free(UINT64_MAX & ~(kFrame - 1)).error() == Error::InvalidArgument);
        unchanged();
    }
    SECTION("a frame that is free")
    {
        CHECK(t.a.free(5 * kFrame).error() == Error::InvalidArgument);
        unchanged();
    }
    SECTION("a double free")
    {
        REQUIRE_FALSE(t.a.free(b).is_error());
        const std::vector<bool> after_first = t.used();
        CHECK(t.a.free(b).error() == Error::InvalidArgument);
        CHECK(t.a.free_frames() == free_before + 1);
        CHECK(t.used() == after_first);
    }
    // The failed frees did not disturb next-fit: allocation carries on after b.
    CHECK(must_allocate(t.a) == 0x2000);
}

TEST_CASE("FrameAllocator: allocate_contiguous rejects zero sizes", "[frame_allocator][contiguous]")
{
    Allocator t(64);
    t.a.add_free_range(0, 64 * kFrame);
    CHECK(t.a.allocate_contiguous(0, 1).error() == Error::InvalidArgument);
    CHECK(t.a.allocate_contiguous(4, 0).error() == Error::InvalidArgument);
    CHECK(t.a.free_frames() == 64);
}

TEST_CASE("FrameAllocator: allocate_contiguous is first-fit on aligned starts", "[frame_allocator][contiguous]")
{
    Allocator t(64);
    t.a.add_free_range(kFrame, 40 * kFrame);  // Frames 1..40 are free; frame 0 is not.

    // 4 frames aligned to 4: frame 0 is used, so the first aligned start that fits is 4.
    Result<uint64_t> first = t.a.allocate_contiguous(4, 4);
    REQUIRE_FALSE(first.is_error());
    CHECK(first.value() == 4 * kFrame);
    CHECK(t.a.free_frames() == 36);
    for (uint64_t f = 4; f < 8; ++f) CHECK(t.a.is_used(f * kFrame));

    // 3 frames aligned to 8: start 0 is blocked by frame 0, so 8.
    Result<uint64_t> second = t.a.allocate_contiguous(3, 8);
    REQUIRE_FALSE(second.is_error());
    CHECK(second.value() == 8 * kFrame);
    CHECK(t.a.free_frames() == 33);

    // Unaligned requests take the lowest run: frames 1..3.
    Result<uint64_t> third = t.a.allocate_contiguous(3, 1);
    REQUIRE_FALSE(third.is_error());
    CHECK(third.value() == 1 * kFrame);

    // A 16-aligned run of 16: 16..31 is free.
    Result<uint64_t> fourth = t.a.allocate_contiguous(16, 16);
    REQUIRE_FALSE(fourth.is_error());
    CHECK(fourth.value() == 16 * kFrame);
    CHECK(t.a.free_frames() == 14);

    // Single-frame allocation never hands out a frame that a contiguous run took.
    for (int i = 0; i < 14; ++i) {
        uint64_t f = must_allocate(t.a) / kFrame;
        CHECK(((f >= 11 && f < 16) || (f >= 32 && f <= 40)));
    }
    CHECK(t.a.allocate().error() == Error::NoMemory);
}

TEST_CASE("FrameAllocator: allocate_contiguous without a long enough run is NoMemory", "[frame_allocator][contiguous]")
{
    Allocator t(32);
    // Free frames 0..31, then take every fourth: the longest free run is 3 frames.
    t.a.add_free_range(0, 32 * kFrame);
    for (uint64_t f = 3; f < 32; f += 4) t.a.reserve_range(f * kFrame, kFrame);
    REQUIRE(t.a.free_frames() == 24);
    const std::vector<bool> before = t.used();

    CHECK(t.a.allocate_contiguous(4, 1).error() == Error::NoMemory);
    CHECK(t.a.allocate_contiguous(100, 1).error() == Error::NoMemory);  // More than all free frames.
    CHECK(t.a.free_frames() == 24);
    CHECK(t.used() == before);

    // A run of 3 fits; aligned to 8 it must start at 0, 8, 16 or 24.
    Result<uint64_t> run = t.a.allocate_contiguous(3, 8);
    REQUIRE_FALSE(run.is_error());
    CHECK(run.value() == 0);
    // A run may end exactly at the last frame.
    t.a.add_free_range(31 * kFrame, kFrame);
    Result<uint64_t> last = t.a.allocate_contiguous(4, 4);
    REQUIRE_FALSE(last.is_error());
    CHECK(last.value() == 28 * kFrame);
}

TEST_CASE("FrameAllocator: contiguous frames can be freed one by one", "[frame_allocator][contiguous]")
{
    Allocator t(16);
    t.a.add_free_range(0, 16 * kFrame);
    Result<uint64_t> run = t.a.allocate_contiguous(8, 8);
    REQUIRE_FALSE(run.is_error());
    for (uint64_t i = 0; i < 8; ++i) REQUIRE_FALSE(t.a.free(run.value() + i * kFrame).is_error());
    CHECK(t.a.free_frames() == 16);
}

TEST_CASE("FrameAllocator: allocate_contiguous finds what a frame-by-frame search finds", "[frame_allocator][contiguous]")
{
    // Random maps with long used stretches (whole words, which the search skips 64 at a time)
    // and scattered holes: the result must be the lowest aligned free run, as a plain scan of
    // every start finds it.
    uint64_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return seed >> 33;
    };
    for (int round = 0; round < 300; ++round) {
        const uint64_t frames = 64 + next() % 700;
        Allocator t(frames);
        for (uint64_t f = 0; f < frames;) {
            uint64_t length = 1 + next() % (next() % 4 == 0 ? 150 : 6);
            if (next() % 3 == 0) t.a.add_free_range(f * kFrame, length * kFrame);
            f += length;
        }
        const uint64_t count = 1 + next() % 12;
        const uint64_t align = uint64_t(1) << (next() % 5);
        uint64_t expected = UINT64_MAX;
        for (uint64_t start = 0; start + count <= frames && expected == UINT64_MAX; start += align) {
            bool free = true;
            for (uint64_t f = start; f < start + count && free; ++f) free = !t.a.is_used(f * kFrame);
            if (free) expected = start;
        }
        Result<uint64_t> got = t.a.allocate_contiguous(count, align);
        INFO("round " << round << ": " << count << " frames aligned to " << align << " of " << frames);
        if (expected == UINT64_MAX) CHECK(got.error() == Error::NoMemory);
        else CHECK((!got.is_error() && got.value() == expected * kFrame));
    }
}
