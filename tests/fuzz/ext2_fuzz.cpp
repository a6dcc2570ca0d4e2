/// \file ext2_fuzz.cpp
/// \brief libFuzzer harness: mounts the input as an ext2 image and walks the whole tree within bounds.
///
/// Built and run by `make fuzz` (clang++ -fsanitize=fuzzer,address,undefined). The input is the
/// device: libFuzzer hands over a buffer of exactly its size, so ASan catches any read past the
/// image, and the device's own count of out-of-range requests must stay zero. A mount that fails
/// must say why; one that succeeds is walked (every entry listed, resolved by path, read by
/// inode), with limits so a self-referencing tree or a terabyte sparse file stays fast.
/// Reproduce a crash with: build/fuzz/ext2-fuzz build/fuzz/crash-<hash>
#include "ext2/ext2.hpp"
#include "ext2_walk.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Paths whose edge cases must hold on any image that mounts.
const char* const kPaths[] = {"/", "/..", "/../..", ".", "/lost+found", "/a/b/../c", "//x//", "/x/"};

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "ext2_fuzz: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static ext2::Filesystem fs;  // About 4 KiB of scratch: static, as the FS server will keep it.
    ext2::MemoryBlockDevice device(data, size);

    Result<void> mounted = fs.mount(device);
    if (mounted.is_error()) {
        if (mounted.error() != Error::BadFormat) fail("mount failed with an error other than BadFormat");
        if (fs.why()[0] == '\0') fail("mount failed without a reason");
    } else {
        ext2test::WalkLimits limits;
        limits.max_entries = 1000;
        limits.max_depth = 6;
        limits.max_bytes = 256 << 10;
        limits.max_bytes_per_file = 32 << 10;
        ext2test::TreeWalker(fs, limits).walk();

        for (const char* path : kPaths) {
            Result<ext2::Inode> r = fs.resolve(path, std::strlen(path));
            if (r.is_error() && fs.why()[0] == '\0') fail("resolve failed without a reason");
        }
        // ".." above the root is the root, whatever the image says.
        Result<ext2::Inode> up = fs.resolve("/..", 3);
        if (!up.is_error() && up.value().number != ext2::kRootInode) fail("/.. is not the root");
    }
    if (device.out_of_range_requests() != 0) fail("a block past the end of the device was requested");
    return 0;
}
