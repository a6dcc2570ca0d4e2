/// \file test_ext2_open_inodes.cpp
/// \brief Host tests for what the FS server adds to the ext2 library: open inodes that outlive their last name (unlink, rmdir, rename over them) until release_inode(), and DirectoryReader::seek() resuming a listing.
#include "ext2/ext2.hpp"
#include "ext2/writer.hpp"
#include "../fuzz/ext2_image.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using ext2test::ImageBuilder;
using ext2test::pattern_bytes;

namespace {

/// The set of open inodes, as the server keeps it.
struct OpenSet final : ext2::OpenInodes {
    std::set<uint32_t> open;
    bool is_open(uint32_t number) const override { return open.count(number) != 0; }
};

uint32_t u32(const std::vector<uint8_t>& b, size_t at)
{
    uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
}

/// e2fsck -fn's exit status on `image` (0: clean).
int fsck(const std::vector<uint8_t>& image)
{
    char name[] = "/tmp/samsara-open-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, image.data(), image.size()) == ssize_t(image.size()));
    close(fd);
    int status = std::system(("PATH=$PATH:/sbin:/usr/sbin; e2fsck -fn '" + std::string(name) + "' >/dev/null 2>&1").c_str());
    unlink(name);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Mounted {
    std::vector<uint8_t> bytes;
    ext2::MemoryBlockDevice device;
    ext2::Filesystem fs;
    ext2::Writer w{fs};
    OpenSet open;

    explicit Mounted(std::vector<uint8_t> image) : bytes(std::move(image)), device(bytes.data(), bytes.size())
    {
        REQUIRE(fs.mount(device).error() == Error::None);
        fs.set_open_inodes(&open);
        w.set_time(1700000200);
    }
    uint32_t number(const char* path)
    {
        Result<ext2::Inode> r = fs.resolve(path, std::strlen(path));
        REQUIRE(r.error() == Error::None);
        return r.value().number;
    }
    uint32_t free_blocks() const { return u32(bytes, 1024 + 12); }
    uint32_t free_inodes() const { return u32(bytes, 1024 + 16); }
};

std::vector<uint8_t> small_image()
{
    ImageBuilder b(1024, 4096, 512);
    b.add_file(ImageBuilder::kRoot, "keep.txt", pattern_bytes(100, 1));
    return b.build();
}

} // namespace

TEST_CASE("ext2 open inodes: an unlinked open file keeps its data until release_inode", "[ext2][open]")
{
    Mounted m(small_image());
    const uint32_t blocks0 = m.free_blocks(), inodes0 = m.free_inodes();
    Result<uint32_t> created = m.w.create(ext2::kRootInode, "f", 1, 0644);
    REQUIRE(created.error() == Error::None);
    uint32_t f = created.value();
    std::vector<uint8_t> data = pattern_bytes(300 * 1024, 7);  // Into the double-indirect range.
    REQUIRE(m.w.write(f, 0, data.data(), data.size()).value() == data.size());

    m.open.open.insert(f);
    REQUIRE(m.w.unlink(ext2::kRootInode, "f", 1).error() == Error::None);
    CHECK(m.fs.resolve("/f", 2).error() == Error::NotFound);

    // Still readable and writable through its number, with no links.
    Result<ext2::Inode> inode = m.fs.read_inode(f);
    REQUIRE(inode.error() == Error::None);
    CHECK(inode.value().links == 0);
    CHECK(inode.value().dtime == 0);
    std::vector<uint8_t> back(data.size());
    REQUIRE(m.fs.read(inode.value(), 0, back.data(), back.size()).value() == data.size());
    CHECK(back == data);
    REQUIRE(m.w.write(f, 5, reinterpret_cast<const uint8_t*>("xyz"), 3).value() == 3);
    CHECK(m.free_inodes() == inodes0 - 1);

    // Closed: not readable any more; release_inode frees every block and the inode.
    m.open.open.erase(f);
    CHECK(m.fs.read_inode(f).error() == Error::BadFormat);
    REQUIRE(m.w.release_inode(f).error() == Error::None);
    CHECK(m.free_blocks() == blocks0);
    CHECK(m.free_inodes() == inodes0);
    CHECK(fsck(m.bytes) == 0);
}

TEST_CASE("ext2 open inodes: rename over an open file, and rmdir of an open directory, defer the free", "[ext2][open]")
{
    Mounted m(small_image());
    const uint32_t blocks0 = m.free_blocks(), inodes0 = m.free_inodes();
    uint32_t a = m.w.create(ext2::kRootInode, "a", 1, 0644).value();
    uint32_t b = m.w.create(ext2::kRootInode, "b", 1, 0644).value();
    REQUIRE(m.w.write(b, 0, reinterpret_cast<const uint8_t*>("old b"), 5).value() == 5);
    uint32_t d = m.w.mkdir(ext2::kRootInode, "d", 1, 0755).value();
    m.open.open = {b, d};

    REQUIRE(m.w.rename(ext2::kRootInode, "a", 1, ext2::kRootInode, "b", 1).error() == Error::None);
    CHECK(m.number("/b") == a);
    REQUIRE(m.w.rmdir(ext2::kRootInode, "d", 1).error() == Error::None);
    CHECK(m.fs.read_inode(b).value().links == 0);
    CHECK(m.fs.read_inode(d).value().links == 0);

    // release_inode on an inode that still has a name does nothing.
    REQUIRE(m.w.release_inode(a).error() == Error::None);
    CHECK(m.number("/b") == a);

    m.open.open.clear();
    REQUIRE(m.w.release_inode(b).error() == Error::None);
    REQUIRE(m.w.release_inode(d).error() == Error::None);
    REQUIRE(m.w.unlink(ext2::kRootInode, "b", 1).error() == Error::None);
    CHECK(m.free_blocks() == blocks0);
    CHECK(m.free_inodes() == inodes0);
    CHECK(fsck(m.bytes) == 0);
}

TEST_CASE("ext2 open inodes: DirectoryReader::seek resumes a listing at any offset", "[ext2][open]")
{
    Mounted m(small_image());
    uint32_t dir = m.w.mkdir(ext2::kRootInode, "many", 4, 0755).value();
    for (int i = 0; i < 300; ++i) {
        std::string name = "entry-" + std::to_string(i);
        REQUIRE(m.w.create(dir, name.data(), name.size(), 0644).error() == Error::None);
    }
    ext2::Inode d = m.fs.read_inode(dir).value();
    REQUIRE(d.size > 4 * 1024);  // Several blocks.

    // One entry per reader, resuming at the previous position: every name once, in order.
    std::vector<std::string> names;
    uint64_t cookie = 0;
    for (;;) {
        ext2::DirectoryReader reader(m.fs, d);
        REQUIRE(reader.seek(cookie).error() == Error::None);
        ext2::DirEntry e;
        Result<bool> more = reader.next(e);
        REQUIRE(more.error() == Error::None);
        if (!more.value()) break;
        names.emplace_back(e.name, e.name_length);
        cookie = reader.position();
    }
    REQUIRE(names.size() == 302);
    CHECK(names[0] == ".");
    CHECK(names[1] == "..");
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == 302);

    // An offset inside an entry moves on to the next entry; past the end is the end.
    ext2::DirectoryReader reader(m.fs, d);
    REQUIRE(reader.seek(1).error() == Error::None);
    CHECK(reader.position() == 12);  // "." is 12 bytes long.
    REQUIRE(reader.seek(d.size + 100).error() == Error::None);
    ext2::DirEntry e;
    CHECK(reader.next(e).value() == false);
}
