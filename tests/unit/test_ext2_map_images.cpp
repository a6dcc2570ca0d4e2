/// \file test_ext2_map_images.cpp
/// \brief Lab 5's host tests on whole files: a dense file read back byte for byte, a real mke2fs image checked against debugfs's bmap, and the writer's files checked by e2fsck.
///
/// Every test case is tagged [lab5], a group ([block_path], [map_block], [read], [mke2fs],
/// [write]) and what it checks; labs/5-filesystem/grade.py runs one tag combination per check,
/// and a student runs the same specs by hand: build/host/unit-tests "[lab5][map_block][holes]".
#include "ext2/ext2.hpp"
#include "ext2/writer.hpp"
#include "../fuzz/ext2_image.hpp"
#include "ext2_lab5.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using ext2test::ImageBuilder;
using ext2test::pattern;
using lab5test::Levels;
using lab5test::Mounted;
using lab5test::name;

namespace {

constexpr uint32_t kRoot = ImageBuilder::kRoot;

// Checks that map_block finds file block `fb` of `inode` at disk block `want`.
void expect_mapped(Mounted& m, const ext2::Inode& inode, uint64_t fb, uint32_t want)
{
    auto got = m.map(inode, fb);
    INFO("map_block(inode " << inode.number << ", file block " << fb << "): " << got.why);
    REQUIRE(name(got.error) == "None");
    CHECK(got.block == want);
}

// A temporary directory for a staged tree, an image and the tools' output; removed at the end.
// It lives under build/ (the tests run from the repository root), so one left behind by a test
// that a sanitizer stopped goes away with `make clean`.
struct Scratch {
    std::string dir;
    Scratch()
    {
        REQUIRE(std::system("mkdir -p build/host/tmp") == 0);
        char path_template[] = "build/host/tmp/lab5-XXXXXX";
        REQUIRE(mkdtemp(path_template) != nullptr);
        dir = path_template;
    }
    ~Scratch() { (void)std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string path(const std::string& leaf) const { return dir + "/" + leaf; }
};

// Runs a shell command with e2fsprogs' usual homes on the PATH; returns its exit status.
int run(const std::string& command)
{
    int status = std::system(("PATH=$PATH:/sbin:/usr/sbin; " + command).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<uint8_t> read_binary(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}

void write_binary(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    REQUIRE(out.good());
}

// Asks debugfs where file blocks `blocks` of `path` are (its `bmap` command; 0 for a hole).
std::vector<uint32_t> debugfs_bmap(const Scratch& s, const std::string& image, const std::string& path,
                                   const std::vector<uint64_t>& blocks)
{
    {
        std::ofstream commands(s.path("bmap.cmd"));
        for (uint64_t b : blocks) commands << "bmap " << path << " " << b << "\n";
    }
    REQUIRE(run("debugfs -f '" + s.path("bmap.cmd") + "' '" + image + "' > '" + s.path("bmap.out") +
                "' 2>/dev/null") == 0);
    // The output echoes each command ("debugfs: bmap ...") and then prints the block number.
    std::vector<uint32_t> found;
    std::istringstream lines(read_text(s.path("bmap.out")));
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos)
            found.push_back(uint32_t(std::stoul(line)));
    }
    REQUIRE(found.size() == blocks.size());
    return found;
}

} // namespace

// ==== read(): whole files through map_block ===================================================

TEST_CASE("lab 5: read: a dense file across the direct, single and double levels reads back byte for byte",
          "[ext2][lab5][read][dense]")
{
    uint32_t block_size = GENERATE(1024u, 2048u, 4096u);
    INFO("block size " << block_size);
    Levels l(block_size / 4);
    ImageBuilder b(block_size, 12 + uint32_t(l.p) * 3 + 64, 32);
    uint64_t size = (l.dbl + l.p + 5) * block_size + 123;  // Into the double level's second child.
    uint32_t n = b.add_file(kRoot, "dense", ext2test::pattern_bytes(size, 9));
    Mounted m(b.build());
    auto inode = m.inode(n);
    std::vector<uint8_t> data(size + 64, 0xcc);
    Result<size_t> got = m.fs->read(inode, 0, data.data(), data.size());
    INFO("read() of the whole file: " << m.fs->why());
    REQUIRE(name(got.error()) == "None");
    REQUIRE(got.value() == size);
    for (uint64_t i = 0; i < size; ++i)
        if (data[i] != pattern(i, 9)) FAIL("byte " << i << " (file block " << i / block_size << ") is wrong");
    // And every block where the builder put it.
    for (uint64_t fb = 0; fb * block_size < size; ++fb) {
        Result<uint32_t> disk = m.fs->map_block(inode, fb);
        REQUIRE(name(disk.error()) == "None");
        if (disk.value() != b.disk_block(n, fb)) FAIL("file block " << fb << " maps to " << disk.value());
    }
}

TEST_CASE("lab 5: mke2fs: a real image with a sparse file down to the triple level agrees with debugfs",
          "[ext2][lab5][mke2fs][debugfs]")
{
    // The staged file has data in a few blocks of every level and holes everywhere else;
    // mke2fs -d keeps the holes. debugfs's `bmap` says where each block went, independently.
    Scratch s;
    const uint32_t block_size = 1024;
    Levels l(block_size / 4);
    uint64_t p = l.p;
    const std::vector<uint64_t> present = {0, 11, l.single, l.single + p - 1, l.dbl, l.dbl + p + 1,
                                           l.dbl + p * p - 1, l.triple, l.triple + p * p + p + 3};
    const uint64_t size = (present.back() + 1) * block_size;
    REQUIRE(mkdir(s.path("stage").c_str(), 0755) == 0);
    {
        int fd = open(s.path("stage/deep.bin").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(ftruncate(fd, off_t(size)) == 0);
        std::vector<uint8_t> block(block_size);
        for (uint64_t fb : present) {
            for (uint32_t i = 0; i < block_size; ++i) block[i] = uint8_t(pattern(fb * block_size + i, 5) | 1);
            REQUIRE(pwrite(fd, block.data(), block_size, off_t(fb * block_size)) == ssize_t(block_size));
        }
        close(fd);
    }
    std::string image = s.path("deep.img");
    REQUIRE(run("truncate -s 2M '" + image + "' && E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 -b 1024 "
                "-d '" + s.path("stage") + "' '" + image + "' > '" + s.path("mke2fs.log") + "' 2>&1") == 0);

    // Every present block, the block on each side of it, and the first block of each level.
    std::vector<uint64_t> probe;
    for (uint64_t fb : present) {
        if (fb > 0) probe.push_back(fb - 1);
        probe.push_back(fb);
        probe.push_back(fb + 1);
    }
    for (uint64_t fb : {l.single, l.dbl, l.triple, l.dbl + 2 * p, l.triple + 2 * p * p}) probe.push_back(fb);
    std::vector<uint32_t> where = debugfs_bmap(s, image, "/deep.bin", probe);

    Mounted m(read_binary(image));
    Result<ext2::Inode> found = m.fs->resolve("/deep.bin", 9);
    INFO("resolve(\"/deep.bin\") reads the root directory through map_block: " << m.fs->why());
    REQUIRE(name(found.error()) == "None");
    const ext2::Inode& inode = found.value();
    CHECK(inode.size == size);
    for (size_t i = 0; i < probe.size(); ++i) expect_mapped(m, inode, probe[i], where[i]);

    // The data of every present block, and zeros in the holes on either side.
    std::vector<uint8_t> buffer(3 * block_size);
    for (uint64_t fb : present) {
        if (fb == 0) continue;
        uint64_t at = (fb - 1) * block_size;
        Result<size_t> n = m.fs->read(inode, at, buffer.data(), buffer.size());
        REQUIRE(name(n.error()) == "None");
        size_t expect_bytes = fb == present.back() ? 2 * block_size : 3 * block_size;  // Ends at EOF.
        REQUIRE(n.value() == expect_bytes);
        for (size_t i = 0; i < n.value(); ++i) {
            uint64_t byte = at + i;
            bool data = std::find(present.begin(), present.end(), byte / block_size) != present.end();
            uint8_t want = data ? uint8_t(pattern(byte, 5) | 1) : 0;
            if (buffer[i] != want) FAIL("byte " << byte << " (file block " << byte / block_size << ") is wrong");
        }
    }
}

// ==== the writer, which allocates through block_path ==========================================

TEST_CASE("lab 5: write: the writer places blocks at every level through block_path, and e2fsck agrees",
          "[ext2][lab5][write][fsck]")
{
    // Writer::bmap (fs/ext2/file_write.cpp) walks the same BlockPath your block_path computes,
    // allocating indirect blocks as it goes; a wrong path gives a tree that e2fsck rejects.
    uint32_t block_size = GENERATE(1024u, 4096u);
    INFO("block size " << block_size);
    Levels l(block_size / 4);
    uint64_t p = l.p;
    ImageBuilder b(block_size, 512, 32);
    uint32_t n = b.add_file(kRoot, "grown", {});
    std::vector<uint8_t> image = b.build();
    const std::vector<uint64_t> targets = {0, 11, l.single, l.single + p - 1, l.dbl, l.dbl + p, l.triple,
                                           l.triple + p * p + p + 3};
    {
        ext2::MemoryBlockDevice device(image.data(), image.size());
        auto fs = std::make_unique<ext2::Filesystem>();
        REQUIRE(name(fs->mount(device).error()) == "None");
        auto w = std::make_unique<ext2::Writer>(*fs);
        w->set_time(1700000100);
        std::vector<uint8_t> block(block_size);
        for (uint64_t fb : targets) {
            for (uint32_t i = 0; i < block_size; ++i) block[i] = uint8_t(pattern(fb * block_size + i, 6) | 1);
            Result<size_t> wrote = w->write(n, fb * block_size, block.data(), block.size());
            INFO("writing file block " << fb << ": " << fs->why());
            REQUIRE(name(wrote.error()) == "None");
            REQUIRE(wrote.value() == block_size);
        }
        // Read back through map_block: each target is where the writer put it, the rest holes.
        auto inode = fs->read_inode(n).value();
        std::vector<uint8_t> got(block_size);
        for (uint64_t fb : targets) {
            Result<size_t> read = fs->read(inode, fb * block_size, got.data(), got.size());
            INFO("reading file block " << fb << ": " << fs->why());
            REQUIRE(name(read.error()) == "None");
            REQUIRE(read.value() == block_size);
            for (uint32_t i = 0; i < block_size; ++i)
                if (got[i] != uint8_t(pattern(fb * block_size + i, 6) | 1)) FAIL("byte " << i << " is wrong");
            if (std::find(targets.begin(), targets.end(), fb + 1) == targets.end()) {
                Result<uint32_t> next = fs->map_block(inode, fb + 1);
                REQUIRE(name(next.error()) == "None");
                CHECK(next.value() == 0u);  // Never written: a hole.
            }
        }
        CHECK(device.out_of_range_requests() == 0);
    }
    Scratch s;
    write_binary(s.path("image"), image);
    int status = run("e2fsck -fn '" + s.path("image") + "' > '" + s.path("fsck.log") + "' 2>&1");
    INFO("e2fsck -fn says:\n" << read_text(s.path("fsck.log")));
    CHECK(status == 0);
}
