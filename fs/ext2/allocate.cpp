/// \file allocate.cpp
/// \brief Writing ext2, part 1: device access, free counts, block and inode bitmaps, and writing an inode back.
#include "ext2/layout.hpp"
#include "ext2/writer.hpp"

namespace ext2 {

using namespace layout;

namespace {

bool test_bit(const uint8_t* bitmap, uint32_t bit) { return (bitmap[bit / 8] >> (bit % 8)) & 1; }
void set_bit(uint8_t* bitmap, uint32_t bit) { bitmap[bit / 8] = uint8_t(bitmap[bit / 8] | (1u << (bit % 8))); }
void clear_bit(uint8_t* bitmap, uint32_t bit) { bitmap[bit / 8] = uint8_t(bitmap[bit / 8] & ~(1u << (bit % 8))); }

// The first clear bit in [from, end) then [0, from), or UINT32_MAX.
uint32_t find_clear(const uint8_t* bitmap, uint32_t from, uint32_t end)
{
    for (uint32_t bit = from; bit < end; ++bit) {
        if (!test_bit(bitmap, bit)) return bit;
    }
    for (uint32_t bit = 0; bit < from && bit < end; ++bit) {
        if (!test_bit(bitmap, bit)) return bit;
    }
    return UINT32_MAX;
}

} // namespace

Result<void> Writer::check_writable()
{
    if (m_fs.m_device == nullptr) return m_fs.fail(Error::InvalidArgument, "file system is not mounted");
    if (m_fs.read_only())
        return m_fs.fail(Error::InsufficientRights, "file system has features this code cannot write");
    return {};
}

Result<void> Writer::read_block(uint32_t block, uint8_t* buffer) { return m_fs.read_disk_block(block, buffer); }

Result<void> Writer::write_block(uint32_t block, const uint8_t* buffer)
{
    // Callers only write blocks they read or allocated, all checked to lie inside the file system.
    Result<void> r = m_fs.m_device->write_block(block, m_fs.m_geometry.block_size, buffer);
    if (r.is_error()) return m_fs.fail(r.error(), "block device write failed");
    return {};
}

Result<void> Writer::read_super()
{
    Result<void> r = m_fs.m_device->read_block(kSuperblockOffset / kSuperblockSize, kSuperblockSize, m_super);
    if (r.is_error()) return m_fs.fail(r.error(), "block device read failed");
    return {};
}

Result<void> Writer::adjust_counts(uint32_t group, int blocks, int inodes, int dirs)
{
    const Geometry& g = m_fs.geometry();
    // (1) Read and check both copies of the counts before writing either.
    uint64_t byte = uint64_t(group) * kGroupDescriptorSize;
    uint32_t table_block = uint32_t(g.group_table_block + byte / g.block_size);
    TRY(read_block(table_block, m_meta));
    uint8_t* d = m_meta + byte % g.block_size;
    int64_t group_blocks = int64_t(load_u16(d + bg_free_blocks_count)) + blocks;
    int64_t group_inodes = int64_t(load_u16(d + bg_free_inodes_count)) + inodes;
    int64_t group_dirs = int64_t(load_u16(d + bg_used_dirs_count)) + dirs;
    TRY(read_super());
    int64_t total_blocks = int64_t(load_u32(m_super + s_free_blocks_count)) + blocks;
    int64_t total_inodes = int64_t(load_u32(m_super + s_free_inodes_count)) + inodes;
    if (group_blocks < 0 || group_blocks > g.blocks_per_group || group_inodes < 0 ||
        group_inodes > g.inodes_per_group || group_dirs < 0 || group_dirs > g.inodes_per_group)
        return m_fs.fail(Error::BadFormat, "group descriptor free counts disagree with the bitmaps");
    if (total_blocks < 0 || total_blocks > g.blocks_count || total_inodes < 0 || total_inodes > g.inodes_count)
        return m_fs.fail(Error::BadFormat, "superblock free counts disagree with the bitmaps");

    // (2) The descriptor, then the superblock.
    store_u16(d + bg_free_blocks_count, uint16_t(group_blocks));
    store_u16(d + bg_free_inodes_count, uint16_t(group_inodes));
    store_u16(d + bg_used_dirs_count, uint16_t(group_dirs));
    TRY(write_block(table_block, m_meta));
    store_u32(m_super + s_free_blocks_count, uint32_t(total_blocks));
    store_u32(m_super + s_free_inodes_count, uint32_t(total_inodes));
    Result<void> r = m_fs.m_device->write_block(kSuperblockOffset / kSuperblockSize, kSuperblockSize, m_super);
    if (r.is_error()) return m_fs.fail(r.error(), "block device write failed");
    return {};
}

bool Writer::is_group_metadata(uint32_t block)
{
    // The superblock and descriptor table of group 0, and the bitmaps and inode table of the
    // block's own group: a bitmap that calls one of them free is damaged.
    const Geometry& g = m_fs.geometry();
    if (!m_fs.block_in_range(block)) return true;
    if (block >= g.group_table_block && block < g.group_table_block + g.group_table_blocks) return true;
    Result<GroupDescriptor> d = m_fs.read_group((block - g.first_data_block) / g.blocks_per_group);
    if (d.is_error()) return true;
    const GroupDescriptor& gd = d.value();
    return block == gd.block_bitmap || block == gd.inode_bitmap ||
           (block >= gd.inode_table && block < gd.inode_table + g.inode_table_blocks);
}

Result<uint32_t> Writer::allocate_block(uint32_t goal)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    TRY(read_super());
    if (load_u32(m_super + s_free_blocks_count) == 0) return m_fs.fail(Error::NoMemory, "no free blocks");

    uint32_t first_group = 0;
    uint32_t goal_bit = 0;
    if (m_fs.block_in_range(goal)) {
        first_group = (goal - g.first_data_block) / g.blocks_per_group;
        goal_bit = (goal - g.first_data_block) % g.blocks_per_group;
    }
    for (uint32_t i = 0; i < g.group_count; ++i) {
        uint32_t group = (first_group + i) % g.group_count;
        GroupDescriptor d = TRY(m_fs.read_group(group));
        if (d.free_blocks == 0) continue;
        // The last group may be short: its bitmap's bits past the file system are padding.
        uint64_t group_start = uint64_t(g.first_data_block) + uint64_t(group) * g.blocks_per_group;
        uint32_t in_group = uint32_t(g.blocks_count - group_start < g.blocks_per_group
                                         ? g.blocks_count - group_start : g.blocks_per_group);
        TRY(read_block(d.block_bitmap, m_bitmap));
        uint32_t bit = find_clear(m_bitmap, i == 0 ? goal_bit : 0, in_group);
        if (bit == UINT32_MAX) continue;
        uint32_t block = uint32_t(group_start + bit);
        if (is_group_metadata(block))
            return m_fs.fail(Error::BadFormat, "block bitmap marks metadata as free");
        set_bit(m_bitmap, bit);
        TRY(write_block(d.block_bitmap, m_bitmap));
        TRY(adjust_counts(group, -1, 0, 0));
        return block;
    }
    return m_fs.fail(Error::NoMemory, "no free blocks");
}

Result<void> Writer::free_block(uint32_t block)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    if (is_group_metadata(block)) return m_fs.fail(Error::BadFormat, "freeing a metadata block");
    uint32_t group = (block - g.first_data_block) / g.blocks_per_group;
    uint32_t bit = (block - g.first_data_block) % g.blocks_per_group;
    GroupDescriptor d = TRY(m_fs.read_group(group));
    TRY(read_block(d.block_bitmap, m_bitmap));
    if (!test_bit(m_bitmap, bit)) return m_fs.fail(Error::BadFormat, "freeing a block that is already free");
    clear_bit(m_bitmap, bit);
    TRY(write_block(d.block_bitmap, m_bitmap));
    return adjust_counts(group, 1, 0, 0);
}

Result<uint32_t> Writer::allocate_inode(uint32_t near, bool directory)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    TRY(read_super());
    if (load_u32(m_super + s_free_inodes_count) == 0) return m_fs.fail(Error::NoMemory, "no free inodes");

    uint32_t first_group = near >= 1 && near <= g.inodes_count ? (near - 1) / g.inodes_per_group : 0;
    for (uint32_t i = 0; i < g.group_count; ++i) {
        uint32_t group = (first_group + i) % g.group_count;
        GroupDescriptor d = TRY(m_fs.read_group(group));
        if (d.free_inodes == 0) continue;
        TRY(read_block(d.inode_bitmap, m_bitmap));
        // Reserved inodes (below first_inode) are never handed out, whatever the bitmap says.
        uint32_t base = group * g.inodes_per_group;  // Inode number base + 1 is bit 0.
        uint32_t from = g.first_inode > base + 1 ? g.first_inode - 1 - base : 0;
        if (from >= g.inodes_per_group) continue;
        uint32_t bit = find_clear(m_bitmap, from, g.inodes_per_group);
        if (bit == UINT32_MAX || bit < from) continue;
        set_bit(m_bitmap, bit);
        TRY(write_block(d.inode_bitmap, m_bitmap));
        TRY(adjust_counts(group, 0, -1, directory ? 1 : 0));
        return base + bit + 1;
    }
    return m_fs.fail(Error::NoMemory, "no free inodes");
}

Result<void> Writer::free_inode(uint32_t number, bool directory)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    if (number < g.first_inode || number > g.inodes_count)
        return m_fs.fail(Error::BadFormat, "freeing a reserved or nonexistent inode");
    uint32_t group = (number - 1) / g.inodes_per_group;
    uint32_t bit = (number - 1) % g.inodes_per_group;
    GroupDescriptor d = TRY(m_fs.read_group(group));
    TRY(read_block(d.inode_bitmap, m_bitmap));
    if (!test_bit(m_bitmap, bit)) return m_fs.fail(Error::BadFormat, "freeing an inode that is already free");
    clear_bit(m_bitmap, bit);
    TRY(write_block(d.inode_bitmap, m_bitmap));
    return adjust_counts(group, 0, 1, directory ? -1 : 0);
}

Result<void> Writer::put_inode(const Inode& inode, bool fresh)
{
    const Geometry& g = m_fs.geometry();
    if (inode.number == 0 || inode.number > g.inodes_count)
        return m_fs.fail(Error::InvalidArgument, "inode number is out of range");
    uint32_t group = (inode.number - 1) / g.inodes_per_group;
    uint64_t byte = uint64_t((inode.number - 1) % g.inodes_per_group) * g.inode_size;
    GroupDescriptor d = TRY(m_fs.read_group(group));
    uint32_t block = uint32_t(d.inode_table + byte / g.block_size);
    TRY(read_block(block, m_meta));
    uint8_t* raw = m_meta + byte % g.block_size;

    if (fresh) {
        for (uint32_t i = 0; i < g.inode_size; ++i) raw[i] = 0;
        // Large inodes: i_extra_isize covers the fixed extra fields, as Linux sets it.
        if (g.inode_size >= kGoodOldInodeSize + 32) store_u16(raw + kGoodOldInodeSize, 32);
    }
    // Only the fields the library owns; the rest of the slot (generation, extra fields,
    // directory ACL) is kept as it was.
    store_u16(raw + i_mode, inode.mode);
    store_u16(raw + i_uid, inode.uid);
    store_u16(raw + i_gid, inode.gid);
    store_u16(raw + i_links_count, inode.links);
    store_u32(raw + i_size, uint32_t(inode.size));
    if (inode.type() == FileType::Regular) store_u32(raw + i_size_high, uint32_t(inode.size >> 32));
    store_u32(raw + i_blocks, inode.sectors);
    store_u32(raw + i_flags, inode.flags);
    store_u32(raw + i_atime, inode.atime);
    store_u32(raw + i_ctime, inode.ctime);
    store_u32(raw + i_mtime, inode.mtime);
    store_u32(raw + i_dtime, inode.dtime);
    store_u32(raw + i_file_acl, inode.file_acl);
    for (uint32_t i = 0; i < kBlockPointers; ++i) store_u32(raw + i_block + 4 * i, inode.block[i]);
    return write_block(block, m_meta);
}

} // namespace ext2
