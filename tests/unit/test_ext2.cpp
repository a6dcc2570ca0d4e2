/// \file test_ext2.cpp
/// \brief Host tests for the ext2 reader: built images read back exactly, and every kind of damage is refused with its reason.
#include "ext2/ext2.hpp"
#include "../fuzz/ext2_image.hpp"
#include "../fuzz/ext2_walk.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

using ext2test::ImageBuilder;
using ext2test::pattern;
using ext2test::pattern_bytes;

namespace {

// A mounted image. The image is copied into a heap block of exactly its size, so ASan reports any
// read past its end; the device also counts requests past the end, which must stay zero.
struct Mounted {
    std::unique_ptr<uint8_t[]> bytes;
    size_t size = 0;
    std::unique_ptr<ext2::MemoryBlockDevice> device;
    std::unique_ptr<ext2::Filesystem> fs = std::make_unique<ext2::Filesystem>();
    Error error = Error::None;
    std::string why;

    ~Mounted() { CHECK(device->out_of_range_requests() == 0); }
};

std::unique_ptr<Mounted> mount(const std::vector<uint8_t>& image)
{
    auto m = std::make_unique<Mounted>();
    m->size = image.size();
    m->bytes.reset(new uint8_t[image.size()]);
    if (!image.empty()) std::memcpy(m->bytes.get(), image.data(), image.size());
    m->device = std::make_unique<ext2::MemoryBlockDevice>(m->bytes.get(), m->size);
    Result<void> r = m->fs->mount(*m->device);
    m->error = r.error();
    m->why = m->fs->why();
    return m;
}

template <typename T>
void put(std::vector<uint8_t>& image, size_t at, T value)
{
    std::memcpy(image.data() + at, &value, sizeof value);
}

// The standard test tree, at any block size:
//   /hello.txt  /empty  /big.bin (direct, single and double indirect)  /sparse (holes)
//   /triple (one block behind the triple-indirect pointer)  /link -> hello.txt (inline)
//   /dir/sub/deep.txt  /dir/longlink (target in a block)  /many/file-000..099 (several blocks)
struct Tree {
    ImageBuilder b;
    uint32_t hello, empty, big, sparse, triple, link, dir, sub, deep, longlink, many;
    uint64_t big_size, triple_block;
    std::vector<uint8_t> image;

    explicit Tree(uint32_t block_size = 1024)
        : b(block_size, blocks_for(block_size), 256)
    {
        uint64_t p = block_size / 4;
        big_size = (12 + p + 3) * block_size + 100;
        triple_block = 12 + p + p * p + (p * p + p + 3);  // Triple-indirect indexes (1, 1, 3).
        hello = b.add_file(ImageBuilder::kRoot, "hello.txt", bytes("Hello, Samsara!\n"));
        empty = b.add_file(ImageBuilder::kRoot, "empty", {});
        big = b.add_file(ImageBuilder::kRoot, "big.bin", pattern_bytes(big_size, 1));
        sparse = b.add_sparse_file(ImageBuilder::kRoot, "sparse", 40 * block_size + 7, {3, 20}, 2);
        triple = b.add_sparse_file(ImageBuilder::kRoot, "triple", (triple_block + 1) * block_size,
                                   {triple_block}, 3);
        link = b.add_symlink(ImageBuilder::kRoot, "link", "hello.txt");
        dir = b.add_dir(ImageBuilder::kRoot, "dir");
        sub = b.add_dir(dir, "sub");
        deep = b.add_file(sub, "deep.txt", bytes("deep down\n"));
        longlink = b.add_symlink(dir, "longlink", std::string(100, 'x') + "/target");
        many = b.add_dir(ImageBuilder::kRoot, "many");
        for (int i = 0; i < 100; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "file-%03d", i);
            b.add_file(many, name, bytes(name));
            if (i == 50) b.add_unused_entry(many, "deleted");
        }
        image = b.build();
    }

    static uint32_t blocks_for(uint32_t block_size)
    {
        return 12 + block_size / 4 + 300;
    }
    static std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
};

// Reads all of `inode` (or `length` bytes from `offset`) through the file system.
std::vector<uint8_t> read_all(ext2::Filesystem& fs, const ext2::Inode& inode, uint64_t offset = 0,
                              size_t length = SIZE_MAX)
{
    if (length == SIZE_MAX) length = size_t(inode.size - offset);
    std::vector<uint8_t> out(length + 16, 0xcc);
    Result<size_t> n = fs.read(inode, offset, out.data(), length);
    REQUIRE(n.error() == Error::None);
    out.resize(n.value());
    return out;
}

ext2::Inode resolve(ext2::Filesystem& fs, const std::string& path)
{
    Result<ext2::Inode> r = fs.resolve(path.data(), path.size());
    INFO(path << ": " << fs.why());
    REQUIRE(r.error() == Error::None);
    return r.value();
}

std::vector<std::string> list(ext2::Filesystem& fs, const ext2::Inode& dir)
{
    ext2::DirectoryReader reader(fs, dir);
    ext2::DirEntry entry;
    std::vector<std::string> names;
    for (;;) {
        Result<bool> more = reader.next(entry);
        INFO(fs.why());
        REQUIRE(more.error() == Error::None);
        if (!more.value()) return names;
        names.emplace_back(entry.name, entry.name_length);
    }
}

// Asserts that mounting `image` fails with BadFormat and exactly `reason`.
void check_mount_rejected(const std::vector<uint8_t>& image, const char* reason)
{
    auto m = mount(image);
    CHECK(m->error == Error::BadFormat);
    CHECK(m->why == reason);
}

// Mounts `image` (which must mount), resolves `path` and reads it whole; returns the outcome.
std::pair<Error, std::string> read_path(const std::vector<uint8_t>& image, const std::string& path)
{
    auto m = mount(image);
    REQUIRE(m->error == Error::None);
    Result<ext2::Inode> inode = m->fs->resolve(path.data(), path.size());
    if (inode.is_error()) return {inode.error(), m->fs->why()};
    std::vector<uint8_t> buffer(inode.value().size);
    Result<size_t> n = m->fs->read(inode.value(), 0, buffer.data(), buffer.size());
    if (n.is_error()) return {n.error(), m->fs->why()};
    return {Error::None, ""};
}

// Lists directory `path` of `image`; returns the outcome.
std::pair<Error, std::string> list_path(const std::vector<uint8_t>& image, const std::string& path)
{
    auto m = mount(image);
    REQUIRE(m->error == Error::None);
    Result<ext2::Inode> inode = m->fs->resolve(path.data(), path.size());
    if (inode.is_error()) return {inode.error(), m->fs->why()};
    ext2::DirectoryReader reader(*m->fs, inode.value());
    ext2::DirEntry entry;
    for (;;) {
        Result<bool> more = reader.next(entry);
        if (more.is_error()) return {more.error(), m->fs->why()};
        if (!more.value()) return {Error::None, ""};
    }
}

} // namespace

// ---- good images --------------------------------------------------------------------------

TEST_CASE("ext2: block_path splits a file block into i_block and indirect indexes", "[ext2]")
{
    auto path = [](uint64_t b) { return ext2::block_path(b, 256); };
    CHECK(path(0).value().depth == 1);
    CHECK(path(11).value().index[0] == 11);
    CHECK((path(12).value().depth == 2 && path(12).value().index[0] == 12 && path(12).value().index[1] == 0));
    CHECK(path(12 + 255).value().index[1] == 255);
    auto d = path(12 + 256 + 256 * 3 + 7).value();
    CHECK((d.depth == 3 && d.index[0] == 13 && d.index[1] == 3 && d.index[2] == 7));
    auto t = path(12 + 256 + 65536 + 65536 + 256 + 3).value();
    CHECK((t.depth == 4 && t.index[0] == 14 && t.index[1] == 1 && t.index[2] == 1 && t.index[3] == 3));
    auto last = path(12 + 256 + 65536 + 16777216 - 1).value();
    CHECK((last.depth == 4 && last.index[1] == 255 && last.index[2] == 255 && last.index[3] == 255));
    CHECK(path(12 + 256 + 65536 + 16777216).error() == Error::InvalidArgument);
    CHECK(path(UINT64_MAX).error() == Error::InvalidArgument);
}

TEST_CASE("ext2: a built image mounts with the geometry it was built with", "[ext2]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    Tree t(block_size);
    auto m = mount(t.image);
    INFO(m->why);
    REQUIRE(m->error == Error::None);
    const ext2::Geometry& g = m->fs->geometry();
    CHECK(g.block_size == block_size);
    CHECK(g.blocks_count == t.b.blocks());
    CHECK(g.inodes_count == 256);
    CHECK(g.group_count == 1);
    CHECK(g.first_data_block == (block_size == 1024 ? 1u : 0u));
    CHECK(g.inode_size == 128);
    CHECK(g.pointers_per_block == block_size / 4);
    CHECK(m->fs->read_only() == false);
    CHECK(m->why == "");

    auto group = m->fs->read_group(0);
    REQUIRE(group.error() == Error::None);
    CHECK(group.value().inode_table == t.b.inode_table());
    CHECK(m->fs->read_group(1).error() == Error::InvalidArgument);
    CHECK(m->fs->why() == std::string("group number exceeds the group count"));
}

TEST_CASE("ext2: file contents read back exactly", "[ext2]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    Tree t(block_size);
    auto m = mount(t.image);
    REQUIRE(m->error == Error::None);
    ext2::Filesystem& fs = *m->fs;

    auto hello = resolve(fs, "/hello.txt");
    CHECK(hello.number == t.hello);
    CHECK(hello.type() == ext2::FileType::Regular);
    CHECK(hello.links == 1);
    CHECK(read_all(fs, hello) == Tree::bytes("Hello, Samsara!\n"));
    CHECK(read_all(fs, hello, 7, 7) == Tree::bytes("Samsara"));
    CHECK(read_all(fs, hello, 7, 1000) == Tree::bytes("Samsara!\n"));  // Short at the end.
    CHECK(read_all(fs, hello, 16, 10).empty());                         // At the end.
    CHECK(read_all(fs, hello, UINT64_MAX, 10).empty());                 // Far past it.
    CHECK(read_all(fs, resolve(fs, "/empty")).empty());

    // The big file crosses direct, single- and double-indirect blocks.
    auto big = resolve(fs, "big.bin");
    CHECK(big.size == t.big_size);
    CHECK(big.block[12] != 0);
    CHECK(big.block[13] != 0);
    CHECK(read_all(fs, big) == pattern_bytes(t.big_size, 1));
    // Reads that straddle each level boundary.
    uint64_t p = block_size / 4;
    for (uint64_t boundary : {uint64_t(12), 12 + p}) {
        uint64_t at = boundary * block_size - 5;
        auto got = read_all(fs, big, at, 10);
        REQUIRE(got.size() == 10);
        for (size_t i = 0; i < 10; ++i) CHECK(got[i] == pattern(at + i, 1));
    }

    // Holes read as zeros, whether the pointer is direct or inside an indirect block.
    auto sparse = resolve(fs, "/sparse");
    auto data = read_all(fs, sparse);
    REQUIRE(data.size() == 40 * block_size + 7);
    for (uint64_t i = 0; i < data.size(); ++i) {
        uint64_t b = i / block_size;
        uint8_t want = (b == 3 || b == 20) ? pattern(i, 2) : 0;
        if (data[i] != want) FAIL("byte " << i << " is " << int(data[i]) << ", want " << int(want));
    }
    CHECK(fs.map_block(sparse, 0).value() == 0);
    CHECK(fs.map_block(sparse, 3).value() == t.b.disk_block(t.sparse, 3));
    CHECK(fs.map_block(sparse, 20).value() == t.b.disk_block(t.sparse, 20));

    // One block behind the triple-indirect pointer; the single and double pointers are holes.
    auto triple = resolve(fs, "/triple");
    CHECK(triple.size == (t.triple_block + 1) * block_size);
    CHECK(fs.map_block(triple, t.triple_block).value() == t.b.disk_block(t.triple, t.triple_block));
    CHECK(fs.map_block(triple, t.triple_block - 1).value() == 0);
    CHECK(fs.map_block(triple, 12).value() == 0);
    CHECK(fs.map_block(triple, 12 + p).value() == 0);
    auto tail = read_all(fs, triple, t.triple_block * block_size - 8, 16);
    REQUIRE(tail.size() == 16);
    for (size_t i = 0; i < 8; ++i) CHECK(tail[i] == 0);
    for (size_t i = 8; i < 16; ++i) CHECK(tail[i] == pattern(t.triple_block * block_size + i - 8, 3));
    CHECK(fs.map_block(triple, 12 + p + p * p + p * p * p).error() == Error::InvalidArgument);

    // Symbolic links read as their targets, inline or in a block; resolve() does not follow them.
    auto link = resolve(fs, "/link");
    CHECK(link.type() == ext2::FileType::Symlink);
    CHECK(link.is_inline_symlink(block_size));
    CHECK(read_all(fs, link) == Tree::bytes("hello.txt"));
    auto longlink = resolve(fs, "/dir/longlink");
    CHECK_FALSE(longlink.is_inline_symlink(block_size));
    CHECK(read_all(fs, longlink) == Tree::bytes(std::string(100, 'x') + "/target"));
}

TEST_CASE("ext2: directories list in order, across blocks, skipping unused entries", "[ext2]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    Tree t(block_size);
    auto m = mount(t.image);
    REQUIRE(m->error == Error::None);
    ext2::Filesystem& fs = *m->fs;

    auto root = fs.read_inode(ext2::kRootInode).value();
    CHECK(root.links == 4);  // Its "." and "..", and the ".." of dir and of many.
    CHECK(list(fs, root) == std::vector<std::string>{".", "..", "hello.txt", "empty", "big.bin",
                                                     "sparse", "triple", "link", "dir", "many"});
    CHECK(list(fs, resolve(fs, "/dir")) == std::vector<std::string>{".", "..", "sub", "longlink"});

    auto many = resolve(fs, "/many");
    CHECK(many.size == (block_size == 1024 ? 2u : 1u) * block_size);
    auto names = list(fs, many);
    REQUIRE(names.size() == 102);
    for (int i = 0; i < 100; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "file-%03d", i);
        CHECK(names[2 + i] == name);
    }

    // Entry details: inode number, type byte, offset.
    ext2::DirectoryReader reader(fs, resolve(fs, "/dir"));
    ext2::DirEntry e;
    REQUIRE(reader.next(e).value());
    CHECK((e.inode == t.dir && e.offset == 0 && e.file_type == uint8_t(ext2::FileType::Directory)));
    REQUIRE(reader.next(e).value());
    CHECK((e.inode == ext2::kRootInode && e.offset == 12));
    REQUIRE(reader.next(e).value());
    CHECK((e.inode == t.sub && e.offset == 24 && std::string(e.name, e.name_length) == "sub"));
    REQUIRE(reader.next(e).value());
    CHECK((e.inode == t.longlink && e.file_type == uint8_t(ext2::FileType::Symlink)));
    CHECK(reader.next(e).value() == false);
    CHECK(reader.next(e).value() == false);  // And stays at the end.

    // A file is not a directory.
    ext2::DirectoryReader file_reader(fs, resolve(fs, "/hello.txt"));
    CHECK(file_reader.next(e).error() == Error::WrongType);
    CHECK(fs.why() == std::string("not a directory"));
}

TEST_CASE("ext2: paths resolve component by component", "[ext2]")
{
    Tree t;
    auto m = mount(t.image);
    REQUIRE(m->error == Error::None);
    ext2::Filesystem& fs = *m->fs;

    CHECK(resolve(fs, "/").number == ext2::kRootInode);
    CHECK(resolve(fs, "/dir/sub/deep.txt").number == t.deep);
    CHECK(resolve(fs, "//dir///sub/./deep.txt").number == t.deep);
    CHECK(resolve(fs, "/dir/sub/../sub/deep.txt").number == t.deep);
    CHECK(resolve(fs, "/dir/sub/").number == t.sub);
    CHECK(resolve(fs, "/dir/..").number == ext2::kRootInode);
    CHECK(resolve(fs, "/many/file-099").number == t.many + 100);
    // ".." above the root stays at the root.
    CHECK(resolve(fs, "/..").number == ext2::kRootInode);
    CHECK(resolve(fs, "/../../..").number == ext2::kRootInode);
    CHECK(resolve(fs, "/../dir/../../hello.txt").number == t.hello);
    // Relative paths start at the given directory.
    auto rel = [&](const std::string& path, uint32_t start) { return fs.resolve(path.data(), path.size(), start); };
    CHECK(rel("deep.txt", t.sub).value().number == t.deep);
    CHECK(rel("..", t.sub).value().number == t.dir);
    CHECK(rel("../../../..", t.sub).value().number == ext2::kRootInode);
    CHECK(rel(".", t.sub).value().number == t.sub);
    CHECK(rel("/hello.txt", t.sub).value().number == t.hello);
    // Only `length` bytes count: no NUL is needed or looked for.
    CHECK(fs.resolve("/hello.txtGARBAGE", 10).value().number == t.hello);
}

TEST_CASE("ext2: path edge cases are errors with reasons, never crashes", "[ext2]")
{
    Tree t;
    auto m = mount(t.image);
    REQUIRE(m->error == Error::None);
    ext2::Filesystem& fs = *m->fs;

    auto check = [&](const std::string& path, Error error, const char* reason, uint32_t start = 2) {
        INFO(path);
        Result<ext2::Inode> r = fs.resolve(path.data(), path.size(), start);
        CHECK(r.error() == error);
        CHECK(fs.why() == std::string(reason));
    };
    check("", Error::NotFound, "path is empty");
    check("/nope", Error::NotFound, "no such file or directory");
    check("/dir/nope/deep.txt", Error::NotFound, "no such file or directory");
    check("/hello.txt/x", Error::WrongType, "path component is not a directory");
    check("/hello.txt/", Error::WrongType, "path component is not a directory");
    check("/hello.txt/..", Error::WrongType, "path component is not a directory");
    check("/link/x", Error::WrongType, "path component is not a directory");
    check("x", Error::WrongType, "path component is not a directory", t.hello);
    check(std::string(4097, '/'), Error::InvalidArgument, "path is too long");
    check("/" + std::string(256, 'a'), Error::InvalidArgument, "path component is too long");
    check(std::string("/dir\0/sub", 9), Error::InvalidArgument, "path contains a NUL byte");
    check("x", Error::InvalidArgument, "inode number 0 is reserved", 0);
    check("x", Error::InvalidArgument, "inode number exceeds the inode count", 257);
    // The longest allowed forms are fine.
    CHECK(fs.resolve(std::string(4096, '/').data(), 4096).value().number == ext2::kRootInode);
    std::string longest = "/" + std::string(255, 'a');
    CHECK(fs.resolve(longest.data(), longest.size()).error() == Error::NotFound);

    CHECK(fs.read_inode(0).error() == Error::InvalidArgument);
    CHECK(fs.why() == std::string("inode number 0 is reserved"));
    CHECK(fs.read_inode(257).error() == Error::InvalidArgument);
    CHECK(fs.why() == std::string("inode number exceeds the inode count"));
    CHECK(fs.read_inode(256).error() == Error::BadFormat);  // In range, but never used.
    CHECK(fs.why() == std::string("inode is not in use"));
}

TEST_CASE("ext2: an unmounted file system refuses every call", "[ext2]")
{
    auto fs = std::make_unique<ext2::Filesystem>();
    CHECK(fs->read_inode(2).error() == Error::InvalidArgument);
    CHECK(fs->why() == std::string("file system is not mounted"));
    CHECK(fs->read_group(0).error() == Error::InvalidArgument);
    CHECK(fs->resolve("/", 1).error() == Error::InvalidArgument);
}

TEST_CASE("ext2: images made by the real mke2fs -d read back exactly", "[ext2]")
{
    // Made at build time by tests/fuzz/mke2fs_seeds.sh (see unit.mk), whose tree this mirrors.
    for (const char* name : {"mke2fs-1k.img", "mke2fs-4k.img"}) {
        INFO(name);
        std::ifstream file(std::string("build/host/fixtures/ext2/") + name, std::ios::binary);
        REQUIRE(file.good());  // Run from the repository root, after `make build/host/unit-tests`.
        std::vector<uint8_t> image((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        auto m = mount(image);
        INFO(m->why);
        REQUIRE(m->error == Error::None);
        ext2::Filesystem& fs = *m->fs;
        CHECK(fs.geometry().inode_size == 256);
        CHECK(fs.read_only() == false);
        CHECK(read_all(fs, resolve(fs, "/hello.txt")) == Tree::bytes("Hello, Samsara!\n"));
        CHECK(read_all(fs, resolve(fs, "/dir/sub/deep.txt")) == Tree::bytes("deep down\n"));
        CHECK(read_all(fs, resolve(fs, "/empty")).empty());
        CHECK(read_all(fs, resolve(fs, "/dir/indirect.txt")) == Tree::bytes(std::string(20000, 'z')));
        CHECK(read_all(fs, resolve(fs, "/link")) == Tree::bytes("hello.txt"));
        CHECK(resolve(fs, "/lost+found").is_directory());
        auto names = list(fs, resolve(fs, "/dir"));
        CHECK(names.size() == 2 + 2 + 20);  // ".", "..", sub, indirect.txt and 20 empty files.
        for (int i = 1; i <= 20; ++i) {
            std::string name = "/dir/entry-with-a-long-name-" + std::to_string(i);
            CHECK(resolve(fs, name).size == 0);
        }
        ext2test::TreeWalker walker(fs, ext2test::WalkLimits{});
        auto stats = walker.walk();
        CHECK(stats.errors == 0);
        CHECK(stats.directories == 4);  // /, /dir, /dir/sub, /lost+found.
    }
}

// ---- damaged images -----------------------------------------------------------------------

TEST_CASE("ext2: a damaged superblock refuses the mount with its reason", "[ext2]")
{
    Tree t;
    const size_t sb = t.b.superblock_at();
    struct Case {
        const char* reason;
        std::function<void(std::vector<uint8_t>&)> damage;
    };
    const std::vector<Case> cases = {
        {"bad magic number", [&](auto& i) { put<uint16_t>(i, sb + 56, 0xEF54); }},
        {"bad magic number", [&](auto& i) { std::fill(i.begin() + sb, i.begin() + sb + 1024, 0); }},
        {"unknown revision level", [&](auto& i) { put<uint32_t>(i, sb + 76, 2); }},
        {"block size is over 4096", [&](auto& i) { put<uint32_t>(i, sb + 24, 3); }},
        {"block size is over 4096", [&](auto& i) { put<uint32_t>(i, sb + 24, 0xffffffff); }},
        {"blocks per group is zero", [&](auto& i) { put<uint32_t>(i, sb + 32, 0); }},
        {"inodes per group is zero", [&](auto& i) { put<uint32_t>(i, sb + 40, 0); }},
        {"blocks per group exceed one bitmap block", [&](auto& i) { put<uint32_t>(i, sb + 32, 8193); }},
        {"inodes per group exceed one bitmap block", [&](auto& i) { put<uint32_t>(i, sb + 40, 8193); }},
        {"inode size is under 128", [&](auto& i) { put<uint16_t>(i, sb + 88, 64); }},
        {"inode size is under 128", [&](auto& i) { put<uint16_t>(i, sb + 88, 0); }},
        {"inode size is not a power of two", [&](auto& i) { put<uint16_t>(i, sb + 88, 129); }},
        {"inode size exceeds the block size", [&](auto& i) { put<uint16_t>(i, sb + 88, 2048); }},
        {"first inode number is under 11", [&](auto& i) { put<uint32_t>(i, sb + 84, 2); }},
        {"first data block does not match the block size", [&](auto& i) { put<uint32_t>(i, sb + 20, 0); }},
        {"block count does not exceed the first data block", [&](auto& i) { put<uint32_t>(i, sb + 4, 1); }},
        {"file system is larger than the device", [&](auto& i) { put<uint32_t>(i, sb + 4, t.b.blocks() + 1); }},
        {"file system is larger than the device", [&](auto& i) { put<uint32_t>(i, sb + 4, 0xffffffff); }},
        {"inode count disagrees with the groups", [&](auto& i) { put<uint32_t>(i, sb + 0, 255); }},
        {"inode count disagrees with the groups", [&](auto& i) { put<uint32_t>(i, sb + 32, 8); }},
        {"inode count is below the first inode",
         [&](auto& i) { put<uint32_t>(i, sb + 0, 8); put<uint32_t>(i, sb + 40, 8); }},
        {"group descriptor table is outside the file system", [&](auto& i) { put<uint32_t>(i, sb + 4, 2); }},
        {"unsupported feature: extents (ext4)", [&](auto& i) { put<uint32_t>(i, sb + 96, 0x42); }},
        {"unsupported feature: the journal needs recovery", [&](auto& i) { put<uint32_t>(i, sb + 96, 0x6); }},
        {"unsupported feature: 64-bit block numbers (ext4)", [&](auto& i) { put<uint32_t>(i, sb + 96, 0x80); }},
        {"unsupported feature: meta_bg", [&](auto& i) { put<uint32_t>(i, sb + 96, 0x10); }},
        {"unsupported feature: unknown incompatible feature",
         [&](auto& i) { put<uint32_t>(i, sb + 96, 0x80000002); }},
    };
    for (const Case& c : cases) {
        INFO(c.reason);
        std::vector<uint8_t> image = t.image;
        c.damage(image);
        check_mount_rejected(image, c.reason);
    }

    // A device too short to hold a superblock.
    check_mount_rejected(std::vector<uint8_t>(t.image.begin(), t.image.begin() + 2047),
                         "device is too small for a superblock");
    check_mount_rejected({}, "device is too small for a superblock");
    // An image cut short after the superblock.
    check_mount_rejected(std::vector<uint8_t>(t.image.begin(), t.image.end() - 1),
                         "file system is larger than the device");
}

TEST_CASE("ext2: features decide between read-write, read-only and refusal", "[ext2]")
{
    Tree t;
    const size_t sb = t.b.superblock_at();
    // An unknown read-only-compatible feature: readable, never writable.
    std::vector<uint8_t> image = t.image;
    put<uint32_t>(image, sb + 100, 0x3 | 0x400);  // metadata_csum
    auto m = mount(image);
    REQUIRE(m->error == Error::None);
    CHECK(m->fs->read_only());
    CHECK(read_all(*m->fs, resolve(*m->fs, "/hello.txt")) == Tree::bytes("Hello, Samsara!\n"));

    // Unknown compatible features (dir_index, resize_inode, ...) change nothing for a reader.
    image = t.image;
    put<uint32_t>(image, sb + 92, 0xffffffff);
    CHECK(mount(image)->error == Error::None);

    // Revision 0: fixed 128-byte inodes; the feature words are not looked at, so there is no
    // FILETYPE and byte 7 of an entry is the high byte of a 16-bit name_len.
    image = t.image;
    put<uint32_t>(image, sb + 76, 0);
    put<uint16_t>(image, sb + 88, 0);
    put<uint32_t>(image, sb + 96, 0xffffffff);
    m = mount(image);
    REQUIRE(m->error == Error::None);
    CHECK(m->fs->geometry().inode_size == 128);
    CHECK(m->fs->geometry().first_inode == 11);
    ext2::DirectoryReader typed(*m->fs, m->fs->read_inode(ext2::kRootInode).value());
    ext2::DirEntry e;
    CHECK(typed.next(e).error() == Error::BadFormat);  // "." has type 2: name_len 0x201.
    CHECK(m->fs->why() == std::string("directory entry name overruns the entry"));

    // The same tree built without FILETYPE lists, with no type bytes.
    ImageBuilder b;
    b.set_filetype(false);
    uint32_t hello = b.add_file(ImageBuilder::kRoot, "hello.txt", Tree::bytes("hi"));
    m = mount(b.build());
    REQUIRE(m->error == Error::None);
    ext2::DirectoryReader plain(*m->fs, m->fs->read_inode(ext2::kRootInode).value());
    REQUIRE(plain.next(e).value());
    CHECK((e.file_type == 0 && e.name_length == 1));
    CHECK(resolve(*m->fs, "/hello.txt").number == hello);
}

TEST_CASE("ext2: damaged group descriptors refuse the mount", "[ext2]")
{
    Tree t;
    const size_t gd = t.b.group_descriptor_at();
    auto check = [&](size_t field, uint32_t value, const char* reason) {
        INFO(field << " = " << value);
        std::vector<uint8_t> image = t.image;
        put<uint32_t>(image, gd + field, value);
        check_mount_rejected(image, reason);
    };
    check(0, 0, "block bitmap is outside the file system");
    check(0, 1, "block bitmap is outside the file system");  // The superblock's own block.
    check(0, t.b.blocks(), "block bitmap is outside the file system");
    check(4, 0xffffffff, "inode bitmap is outside the file system");
    check(8, 0, "inode table is outside the file system");
    check(8, t.b.blocks(), "inode table is outside the file system");
    check(8, t.b.blocks() - 1, "inode table is outside the file system");  // Starts in, ends out.
    check(8, 0xfffffff0, "inode table is outside the file system");
}

TEST_CASE("ext2: damaged inodes are refused for that object only", "[ext2]")
{
    Tree t;
    auto damage = [&](uint32_t inode, size_t field, auto value) {
        std::vector<uint8_t> image = t.image;
        put(image, t.b.inode_at(inode) + field, value);
        return image;
    };
    // The root inode is checked at mount.
    check_mount_rejected(damage(2, 0, uint16_t(0x81a4)), "root inode is not a directory");
    check_mount_rejected(damage(2, 26, uint16_t(0)), "inode is not in use");
    check_mount_rejected(damage(2, 0, uint16_t(0xf1ed)), "inode has an unknown file type");

    using R = std::pair<Error, std::string>;
    CHECK(read_path(damage(t.hello, 0, uint16_t(0x01a4)), "/hello.txt") ==
          R{Error::BadFormat, "inode has an unknown file type"});
    CHECK(read_path(damage(t.hello, 32, uint32_t(0x80000)), "/hello.txt") ==
          R{Error::BadFormat, "inode uses extents"});
    CHECK(read_path(damage(t.hello, 32, uint32_t(0x10000000)), "/hello.txt") ==
          R{Error::BadFormat, "inode uses inline data"});
    CHECK(read_path(damage(t.hello, 108, uint32_t(0xffffffff)), "/hello.txt") ==
          R{Error::BadFormat, "inode size exceeds the largest mappable file"});
    CHECK(read_path(damage(t.dir, 4, uint32_t(1000)), "/dir") ==
          R{Error::BadFormat, "directory size is not a multiple of the block size"});
    CHECK(read_path(damage(t.dir, 4, uint32_t(1024 * (t.b.blocks() + 1))), "/dir") ==
          R{Error::BadFormat, "directory is larger than the file system"});
    // A directory's i_size_high is not part of its size (ext2 semantics).
    CHECK(list_path(damage(t.dir, 108, uint32_t(7)), "/dir") == R{Error::None, ""});
    // The rest of the tree still reads.
    CHECK(read_path(damage(t.hello, 32, uint32_t(0x80000)), "/dir/sub/deep.txt") == R{Error::None, ""});
}

TEST_CASE("ext2: block pointers outside the file system are refused, holes are not", "[ext2]")
{
    Tree t;
    using R = std::pair<Error, std::string>;
    const R outside_data{Error::BadFormat, "data block pointer is outside the file system"};
    const R outside_indirect{Error::BadFormat, "indirect block pointer is outside the file system"};
    auto with_pointer = [&](uint32_t inode, uint32_t slot, uint32_t value) {
        std::vector<uint8_t> image = t.image;
        put(image, t.b.inode_at(inode) + 40 + 4 * slot, value);
        return image;
    };
    CHECK(read_path(with_pointer(t.hello, 0, t.b.blocks()), "/hello.txt") == outside_data);
    CHECK(read_path(with_pointer(t.hello, 0, 0xffffffff), "/hello.txt") == outside_data);
    CHECK(read_path(with_pointer(t.hello, 0, 1), "/hello.txt") == outside_data);  // The superblock.
    CHECK(read_path(with_pointer(t.hello, 0, 0), "/hello.txt") == R{Error::None, ""});  // A hole.
    CHECK(read_path(with_pointer(t.big, 12, t.b.blocks()), "/big.bin") == outside_indirect);
    CHECK(read_path(with_pointer(t.big, 13, 0x80000000), "/big.bin") == outside_indirect);
    CHECK(read_path(with_pointer(t.big, 12, 0), "/big.bin") == R{Error::None, ""});

    // Pointers inside the indirect blocks: the first indirect block is the single one, the second
    // the double one, the third its first child.
    const auto& indirect = t.b.indirect_blocks(t.big);
    REQUIRE(indirect.size() == 3);
    auto in_block = [&](uint32_t block, uint32_t index, uint32_t value) {
        std::vector<uint8_t> image = t.image;
        put(image, size_t(block) * 1024 + 4 * index, value);
        return image;
    };
    CHECK(read_path(in_block(indirect[0], 5, t.b.blocks()), "/big.bin") == outside_data);
    CHECK(read_path(in_block(indirect[0], 255, 0xffffffff), "/big.bin") == outside_data);
    CHECK(read_path(in_block(indirect[1], 0, t.b.blocks() + 7), "/big.bin") == outside_indirect);
    CHECK(read_path(in_block(indirect[2], 2, 0xfffffffe), "/big.bin") == outside_data);
    // Indirect blocks of the triple-indirect file.
    const auto& triple = t.b.indirect_blocks(t.triple);
    REQUIRE(triple.size() == 3);
    for (uint32_t level = 0; level < 3; ++level) {
        INFO("level " << level);
        auto image = in_block(triple[level], level == 2 ? 3 : 1, t.b.blocks());
        auto m = mount(image);
        auto inode = resolve(*m->fs, "/triple");
        CHECK(m->fs->map_block(inode, t.triple_block).error() == Error::BadFormat);
        CHECK(m->fs->why() == std::string(level == 2 ? outside_data.second : outside_indirect.second));
    }
}

TEST_CASE("ext2: damaged directory entries are refused with their reason", "[ext2]")
{
    Tree t;
    const uint32_t dir_block = t.b.disk_block(t.dir, 0);
    auto damage = [&](std::function<void(uint8_t*)> f) {
        std::vector<uint8_t> image = t.image;
        f(image.data() + size_t(dir_block) * 1024);
        return image;
    };
    auto u16 = [](uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); };
    auto u32 = [](uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); };
    using R = std::pair<Error, std::string>;
    struct Case {
        const char* reason;
        std::function<void(uint8_t*)> damage;
    };
    // The block holds "." (offset 0, rec_len 12), ".." (12, 12), "sub" (24, 12), "longlink" (36, to the end).
    const std::vector<Case> cases = {
        {"directory entry is shorter than 8 bytes", [&](uint8_t* d) { u16(d + 4, 0); }},
        {"directory entry is shorter than 8 bytes", [&](uint8_t* d) { u16(d + 12 + 4, 4); }},
        {"directory entry length is not a multiple of 4", [&](uint8_t* d) { u16(d + 4, 14); }},
        {"directory entry length is not a multiple of 4", [&](uint8_t* d) { u16(d + 36 + 4, 1024 - 36 - 1); }},
        {"directory entry crosses the end of the block", [&](uint8_t* d) { u16(d + 36 + 4, 1024 - 36 + 4); }},
        {"directory entry crosses the end of the block", [&](uint8_t* d) { u16(d + 4, 0xfffc); }},
        {"directory entry name overruns the entry", [&](uint8_t* d) { d[24 + 6] = 5; }},
        {"directory entry name overruns the entry", [&](uint8_t* d) { u16(d + 4, 8); }},
        {"directory entry inode number is out of range", [&](uint8_t* d) { u32(d + 24, 257); }},
        {"directory entry inode number is out of range", [&](uint8_t* d) { u32(d + 36, 0xffffffff); }},
        {"directory entry has an empty name", [&](uint8_t* d) { d[24 + 6] = 0; }},
        // The block ends inside an entry chain that never reaches the end exactly.
        {"directory entry is shorter than 8 bytes", [&](uint8_t* d) { u16(d + 36 + 4, 512); }},
    };
    for (const Case& c : cases) {
        INFO(c.reason);
        std::vector<uint8_t> image = damage(c.damage);
        CHECK(list_path(image, "/dir") == R{Error::BadFormat, c.reason});
        CHECK(read_path(image, "/dir/sub/deep.txt") == R{Error::BadFormat, c.reason});
    }
    // An unused entry (inode 0) may have any name length that fits; it is skipped.
    CHECK(list_path(damage([&](uint8_t* d) { u32(d + 24, 0); }), "/dir") == R{Error::None, ""});
    // A hole in a directory reads as zeros: rec_len 0.
    std::vector<uint8_t> image = t.image;
    put<uint32_t>(image, t.b.inode_at(t.many) + 40 + 4 * 1, 0);
    CHECK(list_path(image, "/many") == R{Error::BadFormat, "directory entry is shorter than 8 bytes"});
    CHECK(read_path(image, "/many/file-000") == R{Error::None, ""});  // Found in the first block.
}

TEST_CASE("ext2: a failing device's error passes through", "[ext2]")
{
    // A device whose reads fail after `budget` successes, as a dead driver would.
    class FailingDevice final : public ext2::BlockDevice {
    public:
        FailingDevice(const std::vector<uint8_t>& image, int budget) : m_inner(image.data(), image.size()), m_budget(budget) {}
        uint64_t size_bytes() const override { return m_inner.size_bytes(); }
        Result<void> read_block(uint64_t index, uint32_t size, uint8_t* buffer) override
        {
            if (m_budget-- <= 0) return Error::PeerDied;
            return m_inner.read_block(index, size, buffer);
        }
    private:
        ext2::MemoryBlockDevice m_inner;
        int m_budget;
    };
    Tree t;
    for (int budget = 0; budget < 4; ++budget) {
        FailingDevice device(t.image, budget);
        auto fs = std::make_unique<ext2::Filesystem>();
        CHECK(fs->mount(device).error() == Error::PeerDied);
        CHECK(fs->why() == std::string("block device read failed"));
    }
    FailingDevice device(t.image, 4);  // Superblock, descriptor (at mount and for the root), root inode.
    auto fs = std::make_unique<ext2::Filesystem>();
    REQUIRE(fs->mount(device).error() == Error::None);
    CHECK(fs->resolve("/hello.txt", 10).error() == Error::PeerDied);
}

TEST_CASE("ext2: random corruption never crashes or reads out of bounds", "[ext2]")
{
    // A deterministic mini-fuzz over the metadata: flip bytes of the superblock, the group
    // descriptors, the inode table, indirect blocks and directory blocks; mount; walk everything.
    Tree t;
    std::vector<std::pair<size_t, size_t>> regions = {{1024, 2048}, {2048, 3072}};
    regions.push_back({size_t(t.b.inode_table()) * 1024, size_t(t.b.inode_table() + 32) * 1024});
    for (uint32_t n : {t.big, t.sparse, t.triple})
        for (uint32_t b : t.b.indirect_blocks(n)) regions.push_back({size_t(b) * 1024, size_t(b + 1) * 1024});
    for (uint32_t n : {uint32_t(ImageBuilder::kRoot), t.dir, t.sub, t.many}) {
        uint32_t b = t.b.disk_block(n, 0);
        regions.push_back({size_t(b) * 1024, size_t(b + 1) * 1024});
    }
    std::mt19937 rng(12345);
    int mounted = 0;
    uint32_t entries = 0;
    for (int round = 0; round < 400; ++round) {
        std::vector<uint8_t> image = t.image;
        int flips = 1 + int(rng() % 6);
        for (int i = 0; i < flips; ++i) {
            auto [begin, end] = regions[rng() % regions.size()];
            image[begin + rng() % (end - begin)] = uint8_t(rng());
        }
        auto m = mount(image);
        if (m->error != Error::None) {
            CHECK(m->why != "");
            continue;
        }
        ++mounted;
        ext2test::TreeWalker walker(*m->fs, ext2test::WalkLimits{});
        entries += walker.walk().entries;
    }
    CHECK(mounted > 100);
    CHECK(entries > 1000);
}
