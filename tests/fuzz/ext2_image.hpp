/// \file ext2_image.hpp
/// \brief A tiny in-memory ext2 image builder for the host tests and fuzz seeds: one group, bitmaps, inode table, files and directories.
///
/// Hermetic: no mke2fs. The images are what mke2fs would make with `-O none,filetype,sparse_super,
/// large_file -I 128` on one block group, reduced to the fields Samsara reads, plus bitmaps and
/// free counts so a later writer test can start from them. Tests corrupt the bytes afterwards
/// through the offset helpers (superblock_at(), inode_at(), block_at()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ext2test {

/// The byte at file offset `i` of test file number `seed`: distinct per file, per block and per byte.
inline uint8_t pattern(uint64_t i, uint32_t seed) { return uint8_t(i * 131 + seed * 7 + i / 1021); }

inline std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed)
{
    std::vector<uint8_t> out(length);
    for (size_t i = 0; i < length; ++i) out[i] = pattern(i, seed);
    return out;
}

class ImageBuilder {
public:
    static constexpr uint32_t kRoot = 2;

    /// \param block_size 1024, 2048 or 4096. \param blocks Blocks in the image (<= 8 * block_size).
    /// \param inodes Inodes in the one group. \param inode_size 128 or 256.
    explicit ImageBuilder(uint32_t block_size = 1024, uint32_t blocks = 1024, uint32_t inodes = 64,
                          uint32_t inode_size = 128)
        : m_bs(block_size), m_blocks(blocks), m_inodes(inodes), m_inode_size(inode_size),
          m_image(size_t(block_size) * blocks, 0)
    {
        m_first_data_block = block_size == 1024 ? 1 : 0;
        m_gdt = m_first_data_block + 1;
        m_block_bitmap = m_gdt + 1;
        m_inode_bitmap = m_gdt + 2;
        m_inode_table = m_gdt + 3;
        m_next_block = m_inode_table + (inodes * inode_size + block_size - 1) / block_size;
        m_nodes[kRoot] = Node{0x41ed, 2, 0, {}, 0};
        m_dirs[kRoot] = {{".", kRoot, 2}, {"..", kRoot, 2}};
    }

    uint32_t block_size() const { return m_bs; }
    /// Without FILETYPE, entries carry no type byte (byte 7 is the high byte of name_len).
    void set_filetype(bool on) { m_filetype = on; }
    uint32_t blocks() const { return m_blocks; }
    uint32_t inode_table() const { return m_inode_table; }

    /// Creates a directory `name` in `parent`; returns its inode number.
    uint32_t add_dir(uint32_t parent, const std::string& name)
    {
        uint32_t n = new_inode(0x41ed, 2);
        m_dirs[n] = {{".", n, 2}, {"..", parent, 2}};
        m_dirs[parent].push_back({name, n, 2});
        m_nodes[parent].links++;
        return n;
    }

    /// Creates a regular file holding `data`. With `sparse`, all-zero blocks become holes.
    uint32_t add_file(uint32_t parent, const std::string& name, const std::vector<uint8_t>& data,
                      bool sparse = false)
    {
        uint32_t n = new_inode(0x81a4, 1);
        m_dirs[parent].push_back({name, n, 1});
        for (size_t b = 0; b * m_bs < data.size(); ++b) {
            size_t len = std::min<size_t>(m_bs, data.size() - b * m_bs);
            bool zero = true;
            for (size_t i = 0; i < len; ++i) zero = zero && data[b * m_bs + i] == 0;
            if (sparse && zero) continue;
            uint32_t disk = map(n, b);
            std::memcpy(block_at(disk), data.data() + b * m_bs, len);
        }
        m_nodes[n].size = data.size();
        return n;
    }

    /// Creates a regular file of `size` bytes with only the given blocks present, each filled
    /// with pattern(offset, seed).
    uint32_t add_sparse_file(uint32_t parent, const std::string& name, uint64_t size,
                             const std::vector<uint64_t>& present, uint32_t seed)
    {
        uint32_t n = new_inode(0x81a4, 1);
        m_dirs[parent].push_back({name, n, 1});
        for (uint64_t b : present) {
            uint8_t* p = block_at(map(n, b));
            for (uint32_t i = 0; i < m_bs; ++i) p[i] = pattern(b * m_bs + i, seed);
        }
        m_nodes[n].size = size;
        return n;
    }

    /// Creates a symbolic link; targets under 60 bytes are stored in i_block.
    uint32_t add_symlink(uint32_t parent, const std::string& name, const std::string& target)
    {
        uint32_t n = new_inode(0xa1ff, 1);
        m_dirs[parent].push_back({name, n, 7});
        m_nodes[n].size = target.size();
        if (target.size() < 60) {
            std::memcpy(m_nodes[n].block, target.data(), target.size());
        } else {
            std::memcpy(block_at(map(n, 0)), target.data(), target.size());
        }
        return n;
    }

    /// Adds an unused entry (inode 0) to a directory, as left behind by an unlink.
    void add_unused_entry(uint32_t dir, const std::string& name) { m_dirs[dir].push_back({name, 0, 0}); }

    /// Lays out directories, inodes, bitmaps, descriptors and the superblock; returns the image.
    std::vector<uint8_t> build()
    {
        for (auto& [n, entries] : m_dirs) write_directory(n, entries);
        for (auto& [n, node] : m_nodes) write_inode(n, node);
        write_bitmaps_and_descriptor();
        write_superblock();
        return m_image;
    }

    // ---- offsets into a built image, for corrupting it ----
    size_t superblock_at() const { return 1024; }
    size_t group_descriptor_at() const { return size_t(m_gdt) * m_bs; }
    size_t inode_at(uint32_t n) const { return size_t(m_inode_table) * m_bs + size_t(n - 1) * m_inode_size; }
    uint8_t* block_at(uint32_t b) { return m_image.data() + size_t(b) * m_bs; }
    /// The disk block holding file block `b` of inode `n` (after build()).
    uint32_t disk_block(uint32_t n, uint64_t b) { return m_maps.at(n).at(b); }
    /// The indirect blocks of inode `n`, in the order they were allocated.
    const std::vector<uint32_t>& indirect_blocks(uint32_t n) { return m_indirect[n]; }

private:
    struct Node {
        uint16_t mode;
        uint16_t links;
        uint64_t size;
        uint32_t block[15];
        uint32_t sectors;
    };
    struct Entry {
        std::string name;
        uint32_t inode;
        uint8_t type;
    };

    uint32_t new_inode(uint16_t mode, uint16_t links)
    {
        uint32_t n = m_next_inode++;
        if (n > m_inodes) throw std::runtime_error("builder: out of inodes");
        m_nodes[n] = Node{mode, links, 0, {}, 0};
        return n;
    }

    uint32_t alloc_block()
    {
        if (m_next_block >= m_blocks) throw std::runtime_error("builder: out of blocks");
        return m_next_block++;
    }

    // Returns the disk block of file block `b` of inode `n`, allocating it and any indirect
    // blocks on the way (the mapping Samsara's reader undoes).
    uint32_t map(uint32_t n, uint64_t b)
    {
        Node& node = m_nodes[n];
        uint64_t p = m_bs / 4;
        uint32_t* slot;
        std::vector<uint32_t> path;
        if (b < 12) {
            slot = &node.block[b];
        } else {
            uint64_t r = b - 12;
            uint32_t level = 1;
            uint64_t span = p;
            while (r >= span) {
                r -= span;
                span *= p;
                ++level;
            }
            slot = &node.block[11 + level];
            for (uint32_t i = 0; i < level; ++i) {
                span /= p;
                path.push_back(uint32_t(r / span));
                r %= span;
            }
        }
        for (uint32_t index : path) {
            if (*slot == 0) {
                *slot = alloc_block();
                m_indirect[n].push_back(*slot);
                node.sectors += m_bs / 512;
            }
            slot = reinterpret_cast<uint32_t*>(block_at(*slot)) + index;
        }
        if (*slot == 0) {
            *slot = alloc_block();
            node.sectors += m_bs / 512;
        }
        m_maps[n][b] = *slot;
        return *slot;
    }

    void write_directory(uint32_t n, const std::vector<Entry>& entries)
    {
        std::vector<std::vector<uint8_t>> blocks(1, std::vector<uint8_t>());
        size_t last = 0;  // Offset of the last entry in the current block.
        for (const Entry& e : entries) {
            uint32_t rec = (8 + uint32_t(e.name.size()) + 3) & ~3u;
            std::vector<uint8_t>* cur = &blocks.back();
            if (cur->size() + rec > m_bs) {
                stretch(*cur, last);
                blocks.emplace_back();
                cur = &blocks.back();
            }
            last = cur->size();
            cur->resize(cur->size() + rec, 0);
            uint8_t* d = cur->data() + last;
            std::memcpy(d, &e.inode, 4);
            uint16_t rec16 = uint16_t(rec);
            std::memcpy(d + 4, &rec16, 2);
            d[6] = uint8_t(e.name.size());
            d[7] = m_filetype ? e.type : 0;
            std::memcpy(d + 8, e.name.data(), e.name.size());
        }
        stretch(blocks.back(), last);
        for (size_t b = 0; b < blocks.size(); ++b)
            std::memcpy(block_at(map(n, b)), blocks[b].data(), m_bs);
        m_nodes[n].size = blocks.size() * m_bs;
    }

    // Extends the entry at `last` to the end of the block, as ext2 does with the final entry.
    void stretch(std::vector<uint8_t>& block, size_t last)
    {
        uint16_t rec = uint16_t(m_bs - last);
        block.resize(m_bs, 0);
        std::memcpy(block.data() + last + 4, &rec, 2);
    }

    template <typename T>
    void put(size_t at, T v)
    {
        std::memcpy(m_image.data() + at, &v, sizeof v);
    }

    void write_inode(uint32_t n, const Node& node)
    {
        size_t at = inode_at(n);
        put<uint16_t>(at + 0, node.mode);
        put<uint32_t>(at + 4, uint32_t(node.size));
        put<uint32_t>(at + 8, 1700000000);   // atime
        put<uint32_t>(at + 12, 1700000000);  // ctime
        put<uint32_t>(at + 16, 1700000000);  // mtime
        put<uint16_t>(at + 26, node.links);
        put<uint32_t>(at + 28, node.sectors);
        std::memcpy(m_image.data() + at + 40, node.block, 60);
        put<uint32_t>(at + 108, uint32_t(node.size >> 32));
    }

    void write_bitmaps_and_descriptor()
    {
        uint8_t* bb = block_at(m_block_bitmap);
        for (uint32_t b = m_first_data_block; b < m_next_block; ++b) {
            uint32_t bit = b - m_first_data_block;
            bb[bit / 8] |= uint8_t(1 << (bit % 8));
        }
        uint8_t* ib = block_at(m_inode_bitmap);
        for (uint32_t i = 1; i < m_next_inode; ++i) ib[(i - 1) / 8] |= uint8_t(1 << ((i - 1) % 8));
        // Bits past the end of the group are set, as e2fsck expects of the padding.
        for (uint32_t bit = m_blocks - m_first_data_block; bit < 8 * m_bs; ++bit) bb[bit / 8] |= uint8_t(1 << (bit % 8));
        for (uint32_t bit = m_inodes; bit < 8 * m_bs; ++bit) ib[bit / 8] |= uint8_t(1 << (bit % 8));
        size_t at = group_descriptor_at();
        put<uint32_t>(at + 0, m_block_bitmap);
        put<uint32_t>(at + 4, m_inode_bitmap);
        put<uint32_t>(at + 8, m_inode_table);
        put<uint16_t>(at + 12, uint16_t(m_blocks - m_next_block));
        put<uint16_t>(at + 14, uint16_t(m_inodes - (m_next_inode - 1)));
        put<uint16_t>(at + 16, uint16_t(m_dirs.size()));
    }

    void write_superblock()
    {
        size_t s = superblock_at();
        put<uint32_t>(s + 0, m_inodes);
        put<uint32_t>(s + 4, m_blocks);
        put<uint32_t>(s + 12, m_blocks - m_next_block);
        put<uint32_t>(s + 16, m_inodes - (m_next_inode - 1));
        put<uint32_t>(s + 20, m_first_data_block);
        put<uint32_t>(s + 24, m_bs == 1024 ? 0 : m_bs == 2048 ? 1 : 2);
        put<uint32_t>(s + 28, m_bs == 1024 ? 0 : m_bs == 2048 ? 1 : 2);
        put<uint32_t>(s + 32, 8 * m_bs);
        put<uint32_t>(s + 36, 8 * m_bs);
        put<uint32_t>(s + 40, m_inodes);
        put<uint16_t>(s + 56, 0xEF53);
        put<uint16_t>(s + 58, 1);            // Cleanly unmounted.
        put<uint16_t>(s + 60, 1);            // On errors: continue.
        put<uint32_t>(s + 76, 1);            // Dynamic revision.
        put<uint32_t>(s + 84, 11);           // First non-reserved inode.
        put<uint16_t>(s + 88, uint16_t(m_inode_size));
        put<uint32_t>(s + 96, m_filetype ? 0x2 : 0);  // INCOMPAT: filetype.
        put<uint32_t>(s + 100, 0x3);         // RO_COMPAT: sparse_super, large_file.
        std::memcpy(m_image.data() + s + 120, "samsara-test", 12);
    }

    uint32_t m_bs, m_blocks, m_inodes, m_inode_size;
    std::vector<uint8_t> m_image;
    uint32_t m_first_data_block, m_gdt, m_block_bitmap, m_inode_bitmap, m_inode_table;
    uint32_t m_next_block;
    uint32_t m_next_inode = 11;
    bool m_filetype = true;
    std::map<uint32_t, Node> m_nodes;
    std::map<uint32_t, std::vector<Entry>> m_dirs;
    std::map<uint32_t, std::map<uint64_t, uint32_t>> m_maps;
    std::map<uint32_t, std::vector<uint32_t>> m_indirect;
};

} // namespace ext2test
