/// \file make_seeds.cpp
/// \brief Writes small ext2 images built by ImageBuilder as the fuzzer's seed corpus.
///
/// Small on purpose (64 KiB each): the fuzzer mutates every byte it is given, so it finds more in
/// a compact image whose every block is metadata or a little data. Sparse files reach the single,
/// double and triple indirect levels without the data blocks.
/// Usage: make_seeds OUTDIR
#include "ext2_image.hpp"

#include <cstdio>
#include <string>

namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

// The seed tree at one block size, in `blocks` blocks.
std::vector<uint8_t> tree(uint32_t block_size, uint32_t blocks, bool filetype)
{
    using ext2test::ImageBuilder;
    ImageBuilder b(block_size, blocks, 48);
    b.set_filetype(filetype);
    uint64_t p = block_size / 4;
    b.add_file(ImageBuilder::kRoot, "hello.txt", bytes("Hello, Samsara!\n"));
    b.add_file(ImageBuilder::kRoot, "empty", {});
    b.add_file(ImageBuilder::kRoot, "small", ext2test::pattern_bytes(3 * block_size + 17, 1));
    b.add_sparse_file(ImageBuilder::kRoot, "single", 14 * block_size, {13}, 2);
    b.add_sparse_file(ImageBuilder::kRoot, "double", (12 + p + 2) * block_size, {12 + p + 1}, 3);
    b.add_sparse_file(ImageBuilder::kRoot, "triple", (12 + p + p * p + 1) * block_size,
                      {12 + p + p * p}, 4);
    b.add_symlink(ImageBuilder::kRoot, "link", "hello.txt");
    uint32_t dir = b.add_dir(ImageBuilder::kRoot, "dir");
    uint32_t sub = b.add_dir(dir, "sub");
    b.add_file(sub, "deep.txt", bytes("deep down\n"));
    b.add_symlink(dir, "longlink", std::string(70, 'x'));
    uint32_t many = b.add_dir(ImageBuilder::kRoot, "many");
    for (int i = 0; i < 12; ++i) b.add_file(many, "a-rather-long-file-name-" + std::to_string(i), {});
    b.add_unused_entry(many, "gone");
    return b.build();
}

bool write(const std::string& path, const std::vector<uint8_t>& image)
{
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return false;
    bool ok = std::fwrite(image.data(), 1, image.size(), f) == image.size();
    return std::fclose(f) == 0 && ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    bool ok = write(dir + "/built-1k.img", tree(1024, 64, true)) &&
              write(dir + "/built-2k.img", tree(2048, 32, true)) &&
              write(dir + "/built-4k.img", tree(4096, 32, true)) &&
              write(dir + "/built-1k-nofiletype.img", tree(1024, 64, false));
    if (!ok) std::perror("make_seeds");
    return ok ? 0 : 1;
}
