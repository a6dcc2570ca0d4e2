/// \file test_ext2_map_block.cpp
/// \brief Lab 5's host tests of Filesystem::map_block: the walk down i_block and the indirect blocks at every level and block size, holes, reads counted, and damaged pointers refused.
///
/// Every test case is tagged [lab5], a group ([block_path], [map_block], [read], [mke2fs],
/// [write]) and what it checks; labs/5-filesystem/grade.py runs one tag combination per check,
/// and a student runs the same specs by hand: build/host/unit-tests "[lab5][map_block][holes]".
///
/// The images come from ImageBuilder (tests/fuzz/ext2_image.hpp), which records where it put every
/// data and indirect block, so the expected disk blocks are known exactly.
#include "ext2/ext2.hpp"
#include "../fuzz/ext2_image.hpp"
#include "ext2_lab5.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using ext2test::ImageBuilder;
using ext2test::pattern;
using lab5test::Levels;
using lab5test::Mounted;
using lab5test::name;
using lab5test::put;

namespace {

constexpr uint32_t kRoot = ImageBuilder::kRoot;
const std::string kOutsideData = "data block pointer is outside the file system";
const std::string kOutsideIndirect = "indirect block pointer is outside the file system";
const std::string kBeyondTriple = "file block is beyond the triple-indirect range";

// Byte offset of i_block[slot] of inode `n`, and of entry `index` of disk block `block`.
size_t pointer_in_inode(const ImageBuilder& b, uint32_t n, uint32_t slot) { return b.inode_at(n) + 40 + 4 * slot; }
size_t pointer_in_block(const ImageBuilder& b, uint32_t block, uint32_t index)
{
    return size_t(block) * b.block_size() + 4 * index;
}

// Checks that map_block finds file block `fb` of `inode` at disk block `want`.
void expect_mapped(Mounted& m, const ext2::Inode& inode, uint64_t fb, uint32_t want)
{
    auto got = m.map(inode, fb);
    INFO("map_block(inode " << inode.number << ", file block " << fb << "): " << got.why);
    REQUIRE(name(got.error) == "None");
    CHECK(got.block == want);
}

void expect_error(Mounted& m, const ext2::Inode& inode, uint64_t fb, Error error, const std::string& why)
{
    auto got = m.map(inode, fb);
    INFO("map_block(inode " << inode.number << ", file block " << fb << ")");
    CHECK(name(got.error) == name(error));
    CHECK(got.why == why);
}

// One file per indirection level, with blocks at the first and last index of every indirect
// block on the way and a few in between, and holes everywhere else. ImageBuilder's
// indirect_blocks(n) lists a file's indirect blocks in the order it allocated them: for the
// first block of each file, the chain from i_block down.
struct LevelImage {
    ImageBuilder b;
    Levels l;
    uint32_t direct, single, dbl, triple;
    std::vector<uint64_t> direct_blocks, single_blocks, double_blocks, triple_blocks;
    std::vector<uint8_t> image;

    explicit LevelImage(uint32_t block_size)
        : b(block_size, 2048, 64), l(block_size / 4)
    {
        uint64_t p = l.p;
        direct_blocks = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        single_blocks = {l.single, l.single + 1, l.single + p / 2, l.single + p - 1};
        double_blocks = {l.dbl, l.dbl + 1, l.dbl + p - 1, l.dbl + p, l.dbl + 5 * p + 7, l.triple - 1};
        triple_blocks = {l.triple, l.triple + 1, l.triple + p, l.triple + p * p, l.triple + p * p + p + 3,
                         l.end - 1};
        direct = add("direct", direct_blocks, 1);
        single = add("single", single_blocks, 2);
        dbl = add("double", double_blocks, 3);
        triple = add("triple", triple_blocks, 4);
        image = b.build();
    }

    uint32_t add(const char* name, const std::vector<uint64_t>& blocks, uint32_t seed)
    {
        return b.add_sparse_file(kRoot, name, (blocks.back() + 1) * b.block_size(), blocks, seed);
    }

    /// Where file block `fb` of file `n` is: its disk block, or 0 for a block the file lacks.
    uint32_t where(uint32_t n, uint64_t fb)
    {
        const std::vector<uint64_t>& list = n == direct ? direct_blocks : n == single ? single_blocks
                                          : n == dbl ? double_blocks : triple_blocks;
        return std::find(list.begin(), list.end(), fb) == list.end() ? 0 : b.disk_block(n, fb);
    }
};

} // namespace

TEST_CASE("lab 5: map_block: direct blocks come straight from i_block, with no disk read",
          "[ext2][lab5][map_block][direct]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    auto inode = m.inode(t.direct);
    for (uint64_t fb : t.direct_blocks) {
        expect_mapped(m, inode, fb, t.b.disk_block(t.direct, fb));
        INFO("file block " << fb << ": a direct block needs no disk read");
        CHECK(m.map(inode, fb).reads == 0u);
    }
}

TEST_CASE("lab 5: map_block: single-indirect blocks, through the block i_block[12] names",
          "[ext2][lab5][map_block][single]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    auto inode = m.inode(t.single);
    for (uint64_t fb : t.single_blocks) expect_mapped(m, inode, fb, t.b.disk_block(t.single, fb));
}

TEST_CASE("lab 5: map_block: double-indirect blocks, through two indirect blocks",
          "[ext2][lab5][map_block][double]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    auto inode = m.inode(t.dbl);
    for (uint64_t fb : t.double_blocks) expect_mapped(m, inode, fb, t.b.disk_block(t.dbl, fb));
}

TEST_CASE("lab 5: map_block: triple-indirect blocks, up to the very last one a file can have",
          "[ext2][lab5][map_block][triple]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    auto inode = m.inode(t.triple);
    for (uint64_t fb : t.triple_blocks) expect_mapped(m, inode, fb, t.b.disk_block(t.triple, fb));
}

TEST_CASE("lab 5: map_block: reads exactly one indirect block per level, none for a direct block",
          "[ext2][lab5][map_block][reads]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    struct Case {
        uint32_t inode;
        uint64_t fb;
        uint64_t reads;
    };
    for (const Case& c : {Case{t.direct, 7, 0}, Case{t.single, t.l.single + 1, 1}, Case{t.dbl, t.l.dbl + t.l.p, 2},
                          Case{t.triple, t.l.triple + t.l.p * t.l.p + t.l.p + 3, 3}}) {
        auto inode = m.inode(c.inode);
        auto got = m.map(inode, c.fb);
        INFO("file block " << c.fb << " of inode " << c.inode << ": " << got.why);
        REQUIRE(name(got.error) == "None");
        CHECK(got.block == t.b.disk_block(c.inode, c.fb));
        CHECK(got.reads == c.reads);
    }
}

TEST_CASE("lab 5: map_block: a zero pointer at any level is a hole (block 0), and the walk stops there",
          "[ext2][lab5][map_block][holes]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    const Levels& l = t.l;
    uint64_t p = l.p;
    struct Case {
        const char* where;
        uint32_t inode;
        uint64_t fb;
        uint64_t reads;  // Blocks read before the zero pointer is met.
    };
    const Case cases[] = {
        // The files hold only the blocks LevelImage lists; everything else is a hole.
        {"a zero direct pointer (i_block[3] of 'single')", t.single, 3, 0},
        {"no single-indirect block at all (i_block[12] of 'direct' is 0)", t.direct, l.single, 0},
        {"a zero entry in the single-indirect block", t.single, l.single + 2, 1},
        {"no double-indirect block at all (i_block[13] of 'single' is 0)", t.single, l.dbl + 5, 0},
        {"a zero entry in the double-indirect block (no second-level block)", t.dbl, l.dbl + 2 * p, 1},
        {"a zero entry in a second-level block of the double-indirect tree", t.dbl, l.dbl + 2, 2},
        {"no triple-indirect block at all (i_block[14] of 'double' is 0)", t.dbl, l.triple, 0},
        {"a zero entry in the triple-indirect block", t.triple, l.triple + 2 * p * p, 1},
        {"a zero entry at the second level of the triple-indirect tree", t.triple, l.triple + 2 * p, 2},
        {"a zero entry at the third level of the triple-indirect tree", t.triple, l.triple + 2, 3},
    };
    for (const Case& c : cases) {
        INFO(c.where);
        auto inode = m.inode(c.inode);
        auto got = m.map(inode, c.fb);
        INFO("map_block(inode " << c.inode << ", file block " << c.fb << "): " << got.why);
        REQUIRE(name(got.error) == "None");
        CHECK(got.block == 0u);
        INFO("a hole ends the walk: nothing under a zero pointer is read, and block 0 never is");
        CHECK(got.reads == c.reads);
    }

    // read() gives zeros for every hole and the data of the blocks around it.
    auto inode = m.inode(t.dbl);
    std::vector<uint8_t> buffer(3 * block_size, 0xcc);
    uint64_t at = (l.dbl + p - 2) * block_size;  // Blocks dbl+p-2 (hole), dbl+p-1 and dbl+p (data).
    Result<size_t> n = m.fs->read(inode, at, buffer.data(), buffer.size());
    INFO("read() of file blocks " << l.dbl + p - 2 << " to " << l.dbl + p << ": " << m.fs->why());
    REQUIRE(name(n.error()) == "None");
    REQUIRE(n.value() == buffer.size());
    for (size_t i = 0; i < buffer.size(); ++i) {
        uint8_t want = i < block_size ? 0 : pattern(at + i, 3);
        if (buffer[i] != want) FAIL("read() byte " << at + i << " is " << int(buffer[i]) << ", want " << int(want));
    }
}

TEST_CASE("lab 5: map_block: a pointer outside the file system is BadFormat, at every level, never a crash",
          "[ext2][lab5][map_block][corrupt]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    const Levels& l = t.l;
    uint64_t p = l.p;
    const uint32_t blocks = t.b.blocks();

    // Each case damages one pointer of the pristine image. `fb` is a block whose walk meets the
    // bad pointer; `other` is a block of the same file that does not, and must still map.
    struct Case {
        const char* where;
        uint32_t inode;
        size_t at;          // Byte offset of the pointer in the image.
        uint64_t fb;
        const std::string& why;
        uint64_t other;
    };
    auto chain = [&](uint32_t n, size_t k) { return t.b.indirect_blocks(n).at(k); };
    // The indirect blocks were allocated for each file's first block first: for 'triple' the
    // triple-indirect block, then its first child, then that one's first child.
    const std::vector<Case> cases = {
        {"a direct pointer", t.direct, pointer_in_inode(t.b, t.direct, 4), 4, kOutsideData, 5},
        {"i_block[12], the single-indirect block", t.single, pointer_in_inode(t.b, t.single, 12), l.single + 1,
         kOutsideIndirect, 0},
        {"an entry of the single-indirect block", t.single, pointer_in_block(t.b, chain(t.single, 0), 1),
         l.single + 1, kOutsideData, l.single},
        {"i_block[13], the double-indirect block", t.dbl, pointer_in_inode(t.b, t.dbl, 13), l.dbl, kOutsideIndirect, 0},
        {"an entry of the double-indirect block", t.dbl, pointer_in_block(t.b, chain(t.dbl, 0), 0), l.dbl + 1,
         kOutsideIndirect, l.dbl + p},
        {"an entry of a second-level block of the double tree", t.dbl, pointer_in_block(t.b, chain(t.dbl, 1), p - 1),
         l.dbl + p - 1, kOutsideData, l.dbl},
        {"i_block[14], the triple-indirect block", t.triple, pointer_in_inode(t.b, t.triple, 14), l.end - 1,
         kOutsideIndirect, 0},
        {"an entry of the triple-indirect block", t.triple, pointer_in_block(t.b, chain(t.triple, 0), 0), l.triple + p,
         kOutsideIndirect, l.triple + p * p},
        {"an entry at the second level of the triple tree", t.triple, pointer_in_block(t.b, chain(t.triple, 1), 0),
         l.triple + 1, kOutsideIndirect, l.triple + p},
        {"an entry at the third level of the triple tree", t.triple, pointer_in_block(t.b, chain(t.triple, 2), 1),
         l.triple + 1, kOutsideData, l.triple},
    };
    // Block numbers past the end, the largest one, and (1 KiB blocks) block 1, the superblock.
    std::vector<uint32_t> bad = {blocks, blocks + 1, 0x80000000u, 0xffffffffu};
    if (block_size == 1024) bad.push_back(1);
    for (const Case& c : cases) {
        for (uint32_t value : bad) {
            INFO(c.where << " set to " << value);
            std::vector<uint8_t> image = t.image;
            put<uint32_t>(image, c.at, value);
            Mounted m(image);
            auto inode = m.inode(c.inode);
            expect_error(m, inode, c.fb, Error::BadFormat, c.why);
            // The damage is confined to the blocks under the bad pointer.
            expect_mapped(m, inode, c.other, t.where(c.inode, c.other));
            // And read() passes the error on instead of returning garbage.
            std::vector<uint8_t> buffer(block_size);
            CHECK(name(m.fs->read(inode, c.fb * block_size, buffer.data(), buffer.size()).error()) == "BadFormat");
        }
    }
}

TEST_CASE("lab 5: map_block: past the triple-indirect range is InvalidArgument, never a wrapped block",
          "[ext2][lab5][map_block][range]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    INFO("block size " << block_size);
    LevelImage t(block_size);
    Mounted m(t.image);
    auto inode = m.inode(t.triple);
    expect_mapped(m, inode, t.l.end - 1, t.b.disk_block(t.triple, t.l.end - 1));
    for (uint64_t fb : {t.l.end, t.l.end + 1, (uint64_t(1) << 32) + 5, (uint64_t(1) << 32) + t.l.triple,
                        UINT64_MAX}) {
        expect_error(m, inode, fb, Error::InvalidArgument, kBeyondTriple);
        CHECK(m.map(inode, fb).reads == 0u);
    }
    // Before mount there is nothing to map.
    auto unmounted = std::make_unique<ext2::Filesystem>();
    CHECK(name(unmounted->map_block(inode, 0).error()) == "InvalidArgument");
    CHECK(unmounted->why() == std::string("file system is not mounted"));
}
