/// \file test_ext2_write.cpp
/// \brief Host tests for the ext2 writer: every change is read back through the library, its free counts and bitmaps are recounted, and the image is checked by the real e2fsck -fn and debugfs.
#include "ext2/ext2.hpp"
#include "ext2/writer.hpp"
#include "../fuzz/ext2_image.hpp"
#include "../fuzz/ext2_walk.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using ext2test::ImageBuilder;
using ext2test::pattern_bytes;

namespace {

constexpr uint32_t kNow = 1700000100;

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<uint8_t> load_fixture(const char* name)
{
    std::ifstream file(std::string("build/host/fixtures/ext2/") + name, std::ios::binary);
    REQUIRE(file.good());  // Run from the repository root, after `make build/host/unit-tests`.
    return {(std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()};
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A temporary directory holding one image file and the tools' output; removed at the end.
struct Scratch {
    std::string dir;
    Scratch()
    {
        char name[] = "/tmp/samsara-ext2-XXXXXX";
        REQUIRE(mkdtemp(name) != nullptr);
        dir = name;
    }
    ~Scratch() { (void)std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string path(const std::string& leaf) const { return dir + "/" + leaf; }
};

int run(const std::string& command)
{
    int status = std::system(("PATH=$PATH:/sbin:/usr/sbin; " + command).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

uint32_t u32(const std::vector<uint8_t>& b, size_t at)
{
    uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
}
uint16_t u16(const std::vector<uint8_t>& b, size_t at)
{
    uint16_t v;
    std::memcpy(&v, b.data() + at, 2);
    return v;
}

// Runs e2fsck -fn on `image`; returns its exit status and, in `log`, what it printed.
int fsck(const std::vector<uint8_t>& image, std::string& log)
{
    Scratch scratch;
    {
        std::ofstream out(scratch.path("image"), std::ios::binary);
        out.write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
    }
    int status = run("e2fsck -fn '" + scratch.path("image") + "' > '" + scratch.path("fsck.log") + "' 2>&1");
    log = read_text(scratch.path("fsck.log"));
    return status;
}

// A writable mounted image, and a model of what it should hold (path -> bytes, directories).
struct Disk {
    std::vector<uint8_t> bytes;
    std::unique_ptr<ext2::MemoryBlockDevice> device;
    std::unique_ptr<ext2::Filesystem> fs = std::make_unique<ext2::Filesystem>();
    std::unique_ptr<ext2::Writer> w;
    std::map<std::string, std::vector<uint8_t>> files;
    std::set<std::string> dirs{"/"};
    std::set<std::string> others;   ///< Paths of symlinks and the like, only listed.

    explicit Disk(std::vector<uint8_t> image) : bytes(std::move(image))
    {
        device = std::make_unique<ext2::MemoryBlockDevice>(bytes.data(), bytes.size());
        Result<void> r = fs->mount(*device);
        INFO(fs->why());
        REQUIRE(r.error() == Error::None);
        w = std::make_unique<ext2::Writer>(*fs);
        w->set_time(kNow);
    }
    ~Disk() { CHECK(device->out_of_range_requests() == 0); }

    ext2::Inode inode(const std::string& path)
    {
        Result<ext2::Inode> r = fs->resolve(path.data(), path.size());
        INFO(path << ": " << fs->why());
        REQUIRE(r.error() == Error::None);
        return r.value();
    }
    uint32_t number(const std::string& path) { return inode(path).number; }

    // "/a/b/c" -> parent inode of "/a/b", and "c".
    std::pair<uint32_t, std::string> split(const std::string& path)
    {
        size_t slash = path.rfind('/');
        std::string parent = slash == 0 ? "/" : path.substr(0, slash);
        return {number(parent), path.substr(slash + 1)};
    }

    std::vector<uint8_t> read(const std::string& path)
    {
        ext2::Inode i = inode(path);
        std::vector<uint8_t> out(i.size);
        Result<size_t> n = fs->read(i, 0, out.data(), out.size());
        REQUIRE(n.error() == Error::None);
        out.resize(n.value());
        return out;
    }

    // ---- operations that must succeed, mirrored in the model ----
    void mkdir(const std::string& path)
    {
        auto [parent, name] = split(path);
        Result<uint32_t> r = w->mkdir(parent, name.data(), name.size(), 0755);
        INFO("mkdir " << path << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        dirs.insert(path);
    }
    void create(const std::string& path)
    {
        auto [parent, name] = split(path);
        Result<uint32_t> r = w->create(parent, name.data(), name.size(), 0644);
        INFO("create " << path << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        files[path] = {};
    }
    void write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& data, size_t chunk = SIZE_MAX)
    {
        uint32_t n = number(path);
        for (size_t done = 0; done < data.size();) {
            size_t len = std::min(chunk, data.size() - done);
            Result<size_t> r = w->write(n, offset + done, data.data() + done, len);
            INFO("write " << path << ": " << w->why());
            REQUIRE(r.error() == Error::None);
            REQUIRE(r.value() == len);
            done += len;
        }
        std::vector<uint8_t>& model = files[path];
        if (model.size() < offset + data.size()) model.resize(offset + data.size(), 0);
        if (!data.empty()) std::memcpy(model.data() + offset, data.data(), data.size());
    }
    void put(const std::string& path, const std::vector<uint8_t>& data, size_t chunk = SIZE_MAX)
    {
        create(path);
        write(path, 0, data, chunk);
    }
    void truncate(const std::string& path, uint64_t size)
    {
        Result<void> r = w->truncate(number(path), size);
        INFO("truncate " << path << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        files[path].resize(size, 0);
    }
    void unlink(const std::string& path)
    {
        auto [parent, name] = split(path);
        Result<void> r = w->unlink(parent, name.data(), name.size());
        INFO("unlink " << path << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        files.erase(path);
    }
    void rmdir(const std::string& path)
    {
        auto [parent, name] = split(path);
        Result<void> r = w->rmdir(parent, name.data(), name.size());
        INFO("rmdir " << path << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        dirs.erase(path);
    }
    void rename(const std::string& from, const std::string& to)
    {
        auto [from_dir, from_name] = split(from);
        auto [to_dir, to_name] = split(to);
        Result<void> r = w->rename(from_dir, from_name.data(), from_name.size(), to_dir, to_name.data(), to_name.size());
        INFO("rename " << from << " " << to << ": " << w->why());
        REQUIRE(r.error() == Error::None);
        if (from == to) return;
        // Move every model path at or under `from`.
        auto moved = [&](const std::string& p) {
            return p == from || p.compare(0, from.size() + 1, from + "/") == 0;
        };
        std::map<std::string, std::vector<uint8_t>> new_files;
        for (auto& [p, d] : files) {
            if (p == to) continue;  // Replaced.
            new_files[moved(p) ? to + p.substr(from.size()) : p] = d;
        }
        std::set<std::string> new_dirs;
        for (const std::string& p : dirs) {
            if (p == to) continue;
            new_dirs.insert(moved(p) ? to + p.substr(from.size()) : p);
        }
        files = std::move(new_files);
        dirs = std::move(new_dirs);
    }

    // ---- checks ----

    // Recounts every group's bitmaps and compares with its descriptor and the superblock.
    void check_counts()
    {
        const ext2::Geometry& g = fs->geometry();
        uint64_t free_blocks = 0, free_inodes = 0;
        for (uint32_t group = 0; group < g.group_count; ++group) {
            size_t d = size_t(g.group_table_block) * g.block_size + group * 32;
            uint32_t block_bitmap = u32(bytes, d), inode_bitmap = u32(bytes, d + 4);
            uint64_t start = g.first_data_block + uint64_t(group) * g.blocks_per_group;
            uint32_t in_group = uint32_t(std::min<uint64_t>(g.blocks_per_group, g.blocks_count - start));
            uint32_t blocks = 0, inodes = 0;
            for (uint32_t bit = 0; bit < in_group; ++bit)
                blocks += !((bytes[size_t(block_bitmap) * g.block_size + bit / 8] >> (bit % 8)) & 1);
            for (uint32_t bit = 0; bit < g.inodes_per_group; ++bit)
                inodes += !((bytes[size_t(inode_bitmap) * g.block_size + bit / 8] >> (bit % 8)) & 1);
            INFO("group " << group);
            CHECK(u16(bytes, d + 12) == blocks);
            CHECK(u16(bytes, d + 14) == inodes);
            free_blocks += blocks;
            free_inodes += inodes;
        }
        CHECK(u32(bytes, 1024 + 12) == free_blocks);
        CHECK(u32(bytes, 1024 + 16) == free_inodes);
    }
    uint32_t free_blocks() const { return u32(bytes, 1024 + 12); }
    uint32_t free_inodes() const { return u32(bytes, 1024 + 16); }

    // The model read back through the library; the directories list exactly the model's children.
    void check_model()
    {
        for (auto& [path, data] : files) {
            INFO(path);
            CHECK(inode(path).type() == ext2::FileType::Regular);
            CHECK(read(path) == data);
        }
        for (const std::string& dir : dirs) {
            INFO(dir);
            ext2::Inode d = inode(dir);
            REQUIRE(d.is_directory());
            std::set<std::string> expected{".", ".."}, listed;
            std::string prefix = dir == "/" ? "/" : dir + "/";
            auto child = [&](const std::string& p) {
                return p.size() > prefix.size() && p.compare(0, prefix.size(), prefix) == 0 &&
                       p.find('/', prefix.size()) == std::string::npos;
            };
            for (auto& [p, data] : files) if (child(p)) expected.insert(p.substr(prefix.size()));
            for (const std::string& p : dirs) if (child(p)) expected.insert(p.substr(prefix.size()));
            for (const std::string& p : others) if (child(p)) expected.insert(p.substr(prefix.size()));
            ext2::DirectoryReader reader(*fs, d);
            ext2::DirEntry e;
            uint32_t subdirectories = 0;
            for (;;) {
                Result<bool> more = reader.next(e);
                REQUIRE(more.error() == Error::None);
                if (!more.value()) break;
                std::string name(e.name, e.name_length);
                CHECK(listed.insert(name).second);
                if (name != "." && name != ".." && e.file_type == uint8_t(ext2::FileType::Directory)) ++subdirectories;
            }
            CHECK(listed == expected);
        }
        ext2test::TreeWalker walker(*fs, ext2test::WalkLimits{100000, 64, 64 << 20, 8 << 20});
        CHECK(walker.walk().errors == 0);
    }

    // e2fsck -fn finds the image clean, and debugfs reads every model file byte for byte.
    void check_with_tools(size_t max_files = SIZE_MAX)
    {
        Scratch scratch;
        std::string image = scratch.path("image");
        {
            std::ofstream out(image, std::ios::binary);
            out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        }
        int status = run("e2fsck -fn '" + image + "' > '" + scratch.path("fsck.log") + "' 2>&1");
        INFO("e2fsck -fn:\n" << read_text(scratch.path("fsck.log")));
        CHECK(status == 0);

        std::ofstream commands(scratch.path("commands"));
        std::vector<std::pair<std::string, std::string>> dumped;
        for (auto& [path, data] : files) {
            if (dumped.size() >= max_files) break;
            std::string out = scratch.path("file" + std::to_string(dumped.size()));
            commands << "dump " << path << " " << out << "\n";
            dumped.emplace_back(path, out);
        }
        commands.close();
        REQUIRE(run("debugfs -f '" + scratch.path("commands") + "' '" + image + "' > '" +
                    scratch.path("debugfs.log") + "' 2>&1") == 0);
        for (auto& [path, out] : dumped) {
            INFO("debugfs dump " << path << "\n" << read_text(scratch.path("debugfs.log")));
            std::string got = read_text(out);
            CHECK(std::vector<uint8_t>(got.begin(), got.end()) == files[path]);
        }
        // And one through `cat`, as the system test will do it.
        if (!files.empty()) {
            auto& [path, data] = *files.begin();
            REQUIRE(run("debugfs -R 'cat " + path + "' '" + image + "' > '" + scratch.path("cat") + "' 2>/dev/null") == 0);
            std::string got = read_text(scratch.path("cat"));
            CHECK(std::vector<uint8_t>(got.begin(), got.end()) == data);
        }
    }

    void check_all(size_t max_files = SIZE_MAX)
    {
        check_counts();
        check_model();
        check_with_tools(max_files);
    }
};

// A small tree in a builder image of `block_size`-byte blocks, about 4 MiB.
std::vector<uint8_t> builder_image(uint32_t block_size, uint32_t inodes = 512)
{
    ImageBuilder b(block_size, (4u << 20) / block_size, inodes);
    uint32_t docs = b.add_dir(ImageBuilder::kRoot, "docs");
    b.add_file(ImageBuilder::kRoot, "hello.txt", bytes("Hello, Samsara!\n"));
    b.add_file(docs, "big.bin", pattern_bytes(20 * block_size + 5, 4));
    return b.build();
}

void seed_model(Disk& d)
{
    d.files["/hello.txt"] = bytes("Hello, Samsara!\n");
    d.files["/docs/big.bin"] = pattern_bytes(20 * d.fs->geometry().block_size + 5, 4);
    d.dirs.insert("/docs");
}

} // namespace

// ---- the device ------------------------------------------------------------------------------

TEST_CASE("ext2 write: MemoryBlockDevice writes in bounds, and a const image is read-only", "[ext2][write]")
{
    std::vector<uint8_t> image(8192, 0);
    ext2::MemoryBlockDevice device(image.data(), image.size());
    std::vector<uint8_t> block(1024, 0x5a);
    CHECK(device.write_block(7, 1024, block.data()).error() == Error::None);
    CHECK(image[7 * 1024] == 0x5a);
    CHECK(image[7 * 1024 - 1] == 0);
    CHECK(device.write_block(8, 1024, block.data()).error() == Error::InvalidArgument);
    CHECK(device.write_block(UINT64_MAX, 1024, block.data()).error() == Error::InvalidArgument);
    CHECK(device.write_block(0, 0, block.data()).error() == Error::InvalidArgument);
    CHECK(device.out_of_range_requests() == 3);
    CHECK(device.writes() == 1);

    const std::vector<uint8_t>& constant = image;
    ext2::MemoryBlockDevice read_only(constant.data(), constant.size());
    CHECK(read_only.write_block(0, 1024, block.data()).error() == Error::InsufficientRights);

    // The writer refuses on a read-only device, changing nothing.
    std::vector<uint8_t> built = builder_image(1024);
    const std::vector<uint8_t> before = built;
    ext2::MemoryBlockDevice ro(static_cast<const uint8_t*>(built.data()), built.size());
    auto fs = std::make_unique<ext2::Filesystem>();
    REQUIRE(fs->mount(ro).error() == Error::None);
    auto w = std::make_unique<ext2::Writer>(*fs);
    CHECK(w->create(ext2::kRootInode, "x", 1, 0644).error() == Error::InsufficientRights);
    CHECK(built == before);
}

// ---- allocation ------------------------------------------------------------------------------

TEST_CASE("ext2 write: blocks and inodes are taken from and returned to the bitmaps with their counts", "[ext2][write]")
{
    Disk d(builder_image(1024));
    seed_model(d);
    uint32_t blocks = d.free_blocks(), inodes = d.free_inodes();
    std::vector<uint32_t> taken;
    for (int i = 0; i < 10; ++i) {
        Result<uint32_t> b = d.w->allocate_block(0);
        REQUIRE(b.error() == Error::None);
        taken.push_back(b.value());
    }
    CHECK(std::set<uint32_t>(taken.begin(), taken.end()).size() == 10);
    CHECK(d.free_blocks() == blocks - 10);
    d.check_counts();
    Result<uint32_t> i = d.w->allocate_inode(ext2::kRootInode, true);
    REQUIRE(i.error() == Error::None);
    CHECK(i.value() >= 11);
    CHECK(d.free_inodes() == inodes - 1);
    CHECK(u16(d.bytes, size_t(d.fs->geometry().group_table_block) * 1024 + 16) == 3);  // used_dirs: /, docs, +1.
    d.check_counts();

    // Freeing twice, or freeing metadata, is refused without a change.
    for (uint32_t b : taken) REQUIRE(d.w->free_block(b).error() == Error::None);
    std::vector<uint8_t> before = d.bytes;
    CHECK(d.w->free_block(taken[0]).error() == Error::BadFormat);
    CHECK(d.w->free_block(d.fs->read_group(0).value().inode_table).error() == Error::BadFormat);
    CHECK(d.w->free_block(0).error() == Error::BadFormat);
    CHECK(d.w->free_inode(3, false).error() == Error::BadFormat);  // Reserved.
    CHECK(d.bytes == before);
    REQUIRE(d.w->free_inode(i.value(), true).error() == Error::None);
    CHECK(d.w->free_inode(i.value(), true).error() == Error::BadFormat);
    CHECK(d.free_blocks() == blocks);
    CHECK(d.free_inodes() == inodes);
    d.check_all();
}

// ---- file data -------------------------------------------------------------------------------

TEST_CASE("ext2 write: files over the indirect thresholds, empty files, holes, at every block size", "[ext2][write]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    Disk d(builder_image(block_size));
    seed_model(d);
    uint32_t free_before = d.free_blocks();

    // 300 KiB in odd-sized writes: direct, single and (with 1 KiB blocks) double indirect.
    std::vector<uint8_t> big = pattern_bytes(300 << 10, 9);
    d.put("/big", big, 7777);
    ext2::Inode inode = d.inode("/big");
    uint64_t p = block_size / 4;
    uint64_t data_blocks = (big.size() + block_size - 1) / block_size;
    uint64_t indirect = data_blocks > 12 ? 1 : 0;
    if (data_blocks > 12 + p) indirect += 1 + (data_blocks - 12 - p + p - 1) / p;
    CHECK(inode.size == big.size());
    CHECK(inode.sectors == (data_blocks + indirect) * (block_size / 512));
    CHECK(d.free_blocks() == free_before - data_blocks - indirect);
    if (block_size == 1024) CHECK(inode.block[13] != 0);

    d.create("/empty");
    CHECK(d.inode("/empty").size == 0);
    CHECK(d.inode("/empty").sectors == 0);

    // A write far past the end leaves a hole; rewriting the middle of a file keeps the rest.
    d.put("/sparse", bytes("head"));
    d.write("/sparse", 50 * block_size + 3, bytes("tail"));
    CHECK(d.inode("/sparse").sectors == (2 + 1) * (block_size / 512));  // Two data blocks, one indirect.
    d.write("/big", 1000, pattern_bytes(3 * block_size, 11));
    d.write("/hello.txt", 7, bytes("World, and more than before"));

    // Bytes behind the triple-indirect pointer (kept out of the model: the file is gigabytes
    // long with 4 KiB blocks): four new blocks, which truncating frees again.
    {
        uint64_t triple = (12 + p + p * p + p * p + 2 * p + 5) * block_size + 3;  // Indexes (1, 2, 5).
        uint32_t before_triple = d.free_blocks();
        Result<uint32_t> n = d.w->create(ext2::kRootInode, "triple", 6, 0644);
        REQUIRE(n.error() == Error::None);
        REQUIRE(d.w->write(n.value(), triple, bytes("far").data(), 3).value() == 3);
        ext2::Inode t = d.inode("/triple");
        CHECK(t.size == triple + 3);
        CHECK(t.block[14] != 0);
        CHECK(t.sectors == 4 * (block_size / 512));
        CHECK(d.free_blocks() == before_triple - 4);
        uint8_t got[5] = {};
        CHECK(d.fs->read(t, triple - 1, got, 5).value() == 4);
        CHECK(std::memcmp(got, "\0far", 4) == 0);
        d.check_counts();
        std::string log;
        int status = fsck(d.bytes, log);
        INFO(log);
        CHECK(status == 0);
        REQUIRE(d.w->truncate(n.value(), 1).error() == Error::None);
        CHECK(d.inode("/triple").block[14] == 0);
        CHECK(d.inode("/triple").sectors == 0);
        CHECK(d.free_blocks() == before_triple);
        REQUIRE(d.w->unlink(ext2::kRootInode, "triple", 6).error() == Error::None);
    }

    // Writing to a directory, or past the largest file, is refused.
    uint8_t byte = 1;
    CHECK(d.w->write(d.number("/docs"), 0, &byte, 1).error() == Error::WrongType);
    CHECK(d.w->write(d.number("/big"), d.fs->geometry().max_file_size, &byte, 1).error() == Error::InvalidArgument);
    CHECK(d.w->write(d.number("/big"), UINT64_MAX, &byte, 1).error() == Error::InvalidArgument);
    d.check_all();
}

TEST_CASE("ext2 write: truncate frees blocks past the end, indirect ones included, and grows with a hole", "[ext2][write]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    Disk d(builder_image(block_size));
    seed_model(d);
    uint32_t free_before = d.free_blocks();
    d.put("/f", pattern_bytes(300 << 10, 5), 65536);
    d.truncate("/f", 5000);
    ext2::Inode f = d.inode("/f");
    uint64_t kept = (5000 + block_size - 1) / block_size;
    CHECK(f.sectors == kept * (block_size / 512));
    CHECK(f.block[12] == 0);
    CHECK(f.block[13] == 0);
    CHECK(d.free_blocks() == free_before - kept);
    d.check_counts();

    // Growing: the bytes past the old end read as zeros (the old last block's tail was cleared).
    d.truncate("/f", 100000);
    CHECK(d.inode("/f").sectors == kept * (block_size / 512));
    d.write("/f", 99990, bytes("end"));
    // Shrink into the double-indirect range, and to zero.
    d.put("/g", pattern_bytes(300 << 10, 6), 50000);
    d.truncate("/g", (12 + block_size / 4 + 1) * uint64_t(block_size) + 1);
    d.check_all();
    d.truncate("/g", 0);
    CHECK(d.inode("/g").sectors == 0);
    d.truncate("/f", 0);
    d.unlink("/f");
    d.unlink("/g");
    CHECK(d.free_blocks() == free_before);
    CHECK(d.w->truncate(d.number("/docs"), 0).error() == Error::WrongType);
    d.check_all();
}

// ---- directories -----------------------------------------------------------------------------

TEST_CASE("ext2 write: deep directories and directories of many blocks", "[ext2][write]")
{
    uint32_t block_size = GENERATE(1024u, 4096u);
    Disk d(builder_image(block_size, 1024));
    seed_model(d);
    std::string path;
    for (int level = 0; level < 24; ++level) {
        path += "/level" + std::to_string(level);
        d.mkdir(path);
    }
    d.put(path + "/bottom.txt", bytes("at the bottom\n"));
    CHECK(d.inode("/level0").links == 3);

    // 400 entries with long names: several directory blocks (with 1 KiB blocks, indirect too).
    d.mkdir("/many");
    for (int i = 0; i < 400; ++i) {
        char name[80];
        std::snprintf(name, sizeof name, "/many/a-rather-long-file-name-to-fill-blocks-%04d", i);
        d.put(name, bytes(name));
    }
    ext2::Inode many = d.inode("/many");
    CHECK(many.size / block_size >= (block_size == 1024 ? 20u : 5u));
    // Unlink every other one, then add shorter names: they reuse the slack, not new blocks.
    for (int i = 0; i < 400; i += 2) {
        char name[80];
        std::snprintf(name, sizeof name, "/many/a-rather-long-file-name-to-fill-blocks-%04d", i);
        d.unlink(name);
    }
    for (int i = 0; i < 150; ++i) d.create("/many/s" + std::to_string(i));
    CHECK(d.inode("/many").size == many.size);
    // Remove whole blocks' worth, including the first entry of blocks (inode set to 0).
    for (int i = 1; i < 400; i += 2) {
        char name[80];
        std::snprintf(name, sizeof name, "/many/a-rather-long-file-name-to-fill-blocks-%04d", i);
        d.unlink(name);
    }
    d.create("/many/after-the-purge");
    d.check_all(50);
}

TEST_CASE("ext2 write: mkdir, rmdir, unlink and their errors", "[ext2][write]")
{
    Disk d(builder_image(1024));
    seed_model(d);
    uint32_t root_links = d.inode("/").links;
    d.mkdir("/a");
    d.mkdir("/a/b");
    d.put("/a/b/f", bytes("x"));
    CHECK(d.inode("/").links == root_links + 1);
    CHECK(d.inode("/a").links == 3);
    CHECK(d.inode("/a/b").links == 2);
    CHECK(d.inode("/a/b/..").number == d.number("/a"));

    const std::vector<uint8_t> before = d.bytes;
    uint32_t root = ext2::kRootInode, a = d.number("/a"), b = d.number("/a/b");
    CHECK(d.w->rmdir(a, "b", 1).error() == Error::Busy);                  // Not empty.
    CHECK(d.w->rmdir(b, "f", 1).error() == Error::WrongType);             // A file.
    CHECK(d.w->unlink(a, "b", 1).error() == Error::WrongType);            // A directory.
    CHECK(d.w->unlink(a, "nope", 4).error() == Error::NotFound);
    CHECK(d.w->rmdir(root, "nope", 4).error() == Error::NotFound);
    CHECK(d.w->mkdir(root, "a", 1, 0755).error() == Error::Busy);          // Exists.
    CHECK(d.w->create(root, "hello.txt", 9, 0644).error() == Error::Busy);
    CHECK(d.w->create(root, "..", 2, 0644).error() == Error::InvalidArgument);
    CHECK(d.w->create(root, "x/y", 3, 0644).error() == Error::InvalidArgument);
    CHECK(d.w->create(root, "", 0, 0644).error() == Error::InvalidArgument);
    CHECK(d.w->create(root, std::string(256, 'n').data(), 256, 0644).error() == Error::InvalidArgument);
    CHECK(d.w->create(d.number("/hello.txt"), "x", 1, 0644).error() == Error::WrongType);
    CHECK(d.w->rmdir(a, ".", 1).error() == Error::InvalidArgument);
    CHECK(d.w->rmdir(a, "..", 2).error() == Error::InvalidArgument);
    CHECK(d.bytes == before);  // Every refusal left the image untouched.

    // A 255-byte name is fine.
    std::string longest(255, 'L');
    d.create("/" + longest);
    uint32_t free_blocks = d.free_blocks(), free_inodes = d.free_inodes();
    d.unlink("/a/b/f");
    d.rmdir("/a/b");
    CHECK(d.inode("/a").links == 2);
    CHECK(d.free_inodes() == free_inodes + 2);
    CHECK(d.free_blocks() == free_blocks + 1 + 1);  // b's block and f's block.
    d.rmdir("/a");
    CHECK(d.inode("/").links == root_links);
    d.check_all();
}

TEST_CASE("ext2 write: rename within and across directories, replacing targets, moving directories", "[ext2][write]")
{
    Disk d(builder_image(1024));
    seed_model(d);
    d.mkdir("/src");
    d.mkdir("/dst");
    d.mkdir("/src/tree");
    d.mkdir("/src/tree/leaf");
    d.put("/src/tree/leaf/data", pattern_bytes(30000, 3));
    d.put("/src/one", bytes("one"));
    d.put("/src/two", bytes("two"));
    d.put("/dst/victim", pattern_bytes(20000, 8));

    d.rename("/src/one", "/src/uno");                 // Same directory.
    d.rename("/src/uno", "/dst/uno");                 // Across.
    uint32_t free_blocks = d.free_blocks();
    d.rename("/src/two", "/dst/victim");              // Replaces a file: its blocks are freed.
    CHECK(d.free_blocks() > free_blocks);
    CHECK(d.read("/dst/victim") == bytes("two"));

    uint32_t src_links = d.inode("/src").links, dst_links = d.inode("/dst").links;
    d.rename("/src/tree", "/dst/moved");              // A directory: ".." and links follow.
    CHECK(d.inode("/dst/moved/..").number == d.number("/dst"));
    CHECK(d.inode("/src").links == src_links - 1);
    CHECK(d.inode("/dst").links == dst_links + 1);

    uint32_t root = ext2::kRootInode, src = d.number("/src"), dst = d.number("/dst"), moved = d.number("/dst/moved");
    const std::vector<uint8_t> before = d.bytes;
    CHECK(d.w->rename(root, "dst", 3, moved, "x", 1).error() == Error::InvalidArgument);  // Below itself.
    CHECK(d.w->rename(dst, "moved", 5, moved, "x", 1).error() == Error::InvalidArgument);
    CHECK(d.w->rename(root, "src", 3, root, "dst", 3).error() == Error::Busy);            // Not empty.
    CHECK(d.w->rename(dst, "uno", 3, root, "src", 3).error() == Error::WrongType);         // File onto dir.
    CHECK(d.w->rename(root, "src", 3, dst, "uno", 3).error() == Error::WrongType);         // Dir onto file.
    CHECK(d.w->rename(src, "none", 4, dst, "x", 1).error() == Error::NotFound);
    CHECK(d.w->rename(src, "..", 2, dst, "x", 1).error() == Error::InvalidArgument);
    CHECK(d.bytes == before);

    d.mkdir("/empty-dir");
    d.rename("/dst/moved/leaf", "/empty-dir");        // Replaces an empty directory.
    CHECK(d.inode("/empty-dir/..").number == root);
    d.rename("/dst/uno", "/dst/uno");                 // Onto itself: nothing happens.
    d.rename("/src", "/dst/moved/src");               // Empty directory, deeper.
    d.check_all();
}

// ---- out of space ----------------------------------------------------------------------------

TEST_CASE("ext2 write: running out of space is NoMemory, with the image unchanged and clean", "[ext2][write]")
{
    // Small: 256 KiB of 1 KiB blocks, 32 inodes.
    ImageBuilder b(1024, 256, 32);
    b.add_file(ImageBuilder::kRoot, "hello.txt", bytes("Hello, Samsara!\n"));
    Disk d(b.build());
    d.files["/hello.txt"] = bytes("Hello, Samsara!\n");

    // Fill the disk with one file: the last write is short, then nothing fits.
    d.create("/fill");
    uint32_t fill = d.number("/fill");
    std::vector<uint8_t> chunk = pattern_bytes(10000, 1);
    uint64_t offset = 0;
    for (;;) {
        Result<size_t> r = d.w->write(fill, offset, chunk.data(), chunk.size());
        if (r.is_error()) {
            CHECK(r.error() == Error::NoMemory);
            break;
        }
        d.files["/fill"].insert(d.files["/fill"].end(), chunk.begin(), chunk.begin() + long(r.value()));
        offset += r.value();
        REQUIRE(offset < (1u << 20));
    }
    CHECK(d.free_blocks() == 0);
    CHECK(offset > 200000);
    d.check_counts();

    // With no block free, nothing that needs one changes a byte.
    const std::vector<uint8_t> full = d.bytes;
    CHECK(d.w->mkdir(ext2::kRootInode, "dir", 3, 0755).error() == Error::NoMemory);
    uint8_t byte = 1;
    CHECK(d.w->write(d.number("/hello.txt"), 5000, &byte, 1).error() == Error::NoMemory);
    CHECK(d.bytes == full);
    d.check_with_tools();

    // Free a little: a directory fits, but a full root directory block's new entries then do not.
    d.truncate("/fill", offset - 3000);
    d.mkdir("/dir");
    // Use up the inodes, then create fails with nothing changed.
    for (int i = 0;; ++i) {
        std::string name = "f" + std::to_string(i);
        Result<uint32_t> r = d.w->create(d.number("/dir"), name.data(), name.size(), 0644);
        if (r.is_error()) {
            CHECK(r.error() == Error::NoMemory);
            break;
        }
        d.files["/dir/" + name] = {};
        REQUIRE(i < 64);
    }
    CHECK(d.free_inodes() == 0);
    const std::vector<uint8_t> no_inodes = d.bytes;
    CHECK(d.w->create(ext2::kRootInode, "one-more", 8, 0644).error() == Error::NoMemory);
    CHECK(d.w->mkdir(ext2::kRootInode, "one-more", 8, 0755).error() == Error::NoMemory);
    CHECK(d.bytes == no_inodes);

    // Entries that need a new directory block when none is free: undone, unchanged.
    d.unlink("/dir/f0");
    d.truncate("/fill", 0);
    d.write("/fill", 0, pattern_bytes(100000, 2), 4096);
    d.check_all();
}

// ---- images made by mke2fs -------------------------------------------------------------------

TEST_CASE("ext2 write: changes to images made by the real mke2fs -d stay e2fsck-clean", "[ext2][write]")
{
    const char* name = GENERATE("mke2fs-1k.img", "mke2fs-4k.img");
    INFO(name);
    Disk d(load_fixture(name));
    // The tree mke2fs_seeds.sh stages.
    d.files["/hello.txt"] = bytes("Hello, Samsara!\n");
    d.files["/dir/sub/deep.txt"] = bytes("deep down\n");
    d.files["/empty"] = {};
    d.files["/dir/indirect.txt"] = bytes(std::string(20000, 'z'));
    for (int i = 1; i <= 20; ++i) d.files["/dir/entry-with-a-long-name-" + std::to_string(i)] = {};
    d.dirs = {"/", "/dir", "/dir/sub", "/lost+found"};
    d.others = {"/link"};
    d.check_model();

    d.put("/new.txt", pattern_bytes(12345, 4), 1000);
    d.mkdir("/newdir");
    d.rename("/dir/sub", "/newdir/sub");
    d.rename("/hello.txt", "/newdir/sub/deep.txt");
    d.unlink("/dir/indirect.txt");
    for (int i = 1; i <= 20; i += 3) d.unlink("/dir/entry-with-a-long-name-" + std::to_string(i));
    d.write("/empty", 0, bytes("not empty any more"));
    d.truncate("/new.txt", 3000);
    d.put("/dir/grown", pattern_bytes(30000, 5), 3333);
    d.check_all();
}

TEST_CASE("ext2 write: the e2fsck check catches what it should (a negative control)", "[ext2][write]")
{
    Disk d(builder_image(1024));
    std::string log;
    CHECK(fsck(d.bytes, log) == 0);
    // A block taken from the bitmap but owned by no inode: "block bitmap differences".
    REQUIRE(d.w->allocate_block(0).error() == Error::None);
    CHECK(fsck(d.bytes, log) == 4);
    CHECK(log.find("differences") != std::string::npos);
}

TEST_CASE("ext2 write: a multi-group image from mke2fs: files and directories spread across groups", "[ext2][write]")
{
    // 24 MiB of 1 KiB blocks: three groups of 8192 blocks, backup superblocks in groups 1 (sparse_super).
    std::vector<uint8_t> image;
    {
        Scratch scratch;
        std::string path = scratch.path("multi.img");
        REQUIRE(run("E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 -b 1024 -N 1536 '" + path + "' 24M >/dev/null 2>&1") == 0);
        std::string raw = read_text(path);
        image.assign(raw.begin(), raw.end());
    }
    Disk d(std::move(image));
    REQUIRE(d.fs->geometry().group_count == 3);
    d.dirs.insert("/lost+found");

    d.put("/big", pattern_bytes(10u << 20, 12), 65536);  // Fills group 0 and runs into group 1.
    for (int i = 0; i < 12; ++i) {
        std::string dir = "/d" + std::to_string(i);
        d.mkdir(dir);
        for (int j = 0; j < 40; ++j) d.put(dir + "/f" + std::to_string(j), pattern_bytes(size_t(j) * 100, uint32_t(i * 40 + j)));
    }
    d.check_counts();
    uint32_t groups_used = 0;
    for (uint32_t g = 0; g < 3; ++g) groups_used += d.fs->read_group(g).value().free_blocks < 8000;
    CHECK(groups_used >= 2);
    d.truncate("/big", 3u << 20);
    d.rename("/d3", "/d4/d3");
    d.unlink("/d5/f7");
    d.put("/after", pattern_bytes(8u << 20, 13), 100000);  // Reuses what truncate freed, then more.
    d.check_all(100);
}

TEST_CASE("ext2 write: a device that fails writes part way: its error passes through, nothing crashes", "[ext2][write]")
{
    // Writes fail after `budget` successes, as a driver that died would (without the block
    // client's retries). The library must report PeerDied, never crash or write out of bounds,
    // and the image must still mount and walk.
    class FailingWrites final : public ext2::BlockDevice {
    public:
        FailingWrites(std::vector<uint8_t>& image, int budget) : m_inner(image.data(), image.size()), m_budget(budget) {}
        uint64_t size_bytes() const override { return m_inner.size_bytes(); }
        Result<void> read_block(uint64_t index, uint32_t size, uint8_t* buffer) override
        {
            return m_inner.read_block(index, size, buffer);
        }
        Result<void> write_block(uint64_t index, uint32_t size, const uint8_t* data) override
        {
            if (m_budget-- <= 0) return Error::PeerDied;
            return m_inner.write_block(index, size, data);
        }
        uint64_t out_of_range() const { return m_inner.out_of_range_requests(); }
    private:
        ext2::MemoryBlockDevice m_inner;
        int m_budget;
    };
    int completed = 0;
    for (int budget = 0; budget < 120; budget += 3) {
        std::vector<uint8_t> image = builder_image(1024);
        FailingWrites device(image, budget);
        auto fs = std::make_unique<ext2::Filesystem>();
        REQUIRE(fs->mount(device).error() == Error::None);
        auto w = std::make_unique<ext2::Writer>(*fs);
        Result<uint32_t> dir = w->mkdir(ext2::kRootInode, "d", 1, 0755);
        Result<uint32_t> file = dir.is_error() ? dir : w->create(dir.value(), "f", 1, 0644);
        std::vector<uint8_t> data = pattern_bytes(20000, 1);
        Result<size_t> n = file.is_error() ? Result<size_t>(file.error()) : w->write(file.value(), 0, data.data(), data.size());
        Result<void> r = n.is_error() ? Result<void>(n.error()) : w->rename(ext2::kRootInode, "d", 1, ext2::kRootInode, "e", 1);
        if (r.is_error()) {
            CHECK(r.error() == Error::PeerDied);
            CHECK(std::string(w->why()) == "block device write failed");
        } else {
            ++completed;
        }
        CHECK(device.out_of_range() == 0);
        ext2::MemoryBlockDevice again(image.data(), image.size());
        auto remounted = std::make_unique<ext2::Filesystem>();
        REQUIRE(remounted->mount(again).error() == Error::None);
        ext2test::TreeWalker walker(*remounted, ext2test::WalkLimits{});
        (void)walker.walk();
    }
    CHECK(completed > 0);
}
