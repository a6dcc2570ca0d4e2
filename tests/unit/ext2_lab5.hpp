/// \file ext2_lab5.hpp
/// \brief Lab 5's test helpers: the level boundaries of an ext2 block map, and an image mounted with its disk reads counted.
///
/// Shared by test_ext2_block_path.cpp, test_ext2_map_block.cpp and test_ext2_map_images.cpp.
/// Everything is inline or a class in namespace lab5test, so a file that uses only part of it
/// compiles without unused-function warnings.
#pragma once

#include "ext2/ext2.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace lab5test {

/// Errors compared by name, so a failed assertion reads `"BadFormat" == "None"`, not `6 == 0`.
inline std::string name(Error e) { return abi::error_name(e); }

/// The first file block of each level, for `p` pointers per block: 0 (direct), 12 (single),
/// 12 + p (double), 12 + p + p^2 (triple), and one past the last block the triple level reaches.
struct Levels {
    uint64_t p, single, dbl, triple, end;
    explicit Levels(uint64_t pointers)
        : p(pointers), single(12), dbl(12 + p), triple(12 + p + p * p), end(12 + p + p * p + p * p * p) {}
};

/// A mounted copy of an image. The bytes live in a heap block of exactly the image's size, so
/// AddressSanitizer reports any read past its end, and the device counts requests past the end,
/// which must stay at zero: map_block must check a pointer before it reads the block it names.
struct Mounted {
    std::unique_ptr<uint8_t[]> bytes;
    std::unique_ptr<ext2::MemoryBlockDevice> device;
    std::unique_ptr<ext2::Filesystem> fs = std::make_unique<ext2::Filesystem>();

    explicit Mounted(const std::vector<uint8_t>& image)
    {
        bytes.reset(new uint8_t[image.size()]);
        std::memcpy(bytes.get(), image.data(), image.size());
        device = std::make_unique<ext2::MemoryBlockDevice>(bytes.get(), image.size());
        Result<void> r = fs->mount(*device);
        INFO("mount: " << fs->why());
        REQUIRE(name(r.error()) == "None");
    }
    ~Mounted()
    {
        INFO("a block past the end of the device was requested: a pointer was read before it was checked");
        CHECK(device->out_of_range_requests() == 0);
    }

    ext2::Inode inode(uint32_t number)
    {
        Result<ext2::Inode> r = fs->read_inode(number);
        INFO("read_inode(" << number << "): " << fs->why());
        REQUIRE(name(r.error()) == "None");
        return r.value();
    }

    // map_block, with how many blocks it read from the device.
    struct Mapped {
        Error error;
        uint32_t block;
        uint64_t reads;
        std::string why;
    };
    Mapped map(const ext2::Inode& inode, uint64_t file_block)
    {
        uint64_t before = device->reads();
        Result<uint32_t> r = fs->map_block(inode, file_block);
        return {r.error(), r.is_error() ? 0u : r.value(), device->reads() - before, fs->why()};
    }
};

/// Writes `value` at byte `at` of `image`, as the disk holds it (little-endian).
template <typename T>
void put(std::vector<uint8_t>& image, size_t at, T value)
{
    std::memcpy(image.data() + at, &value, sizeof value);
}

} // namespace lab5test
