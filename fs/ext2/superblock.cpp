/// \file superblock.cpp
/// \brief Mounting: checks the superblock field by field, then every group descriptor and the root inode.
#include "ext2/ext2.hpp"
#include "ext2/layout.hpp"

namespace ext2 {

using namespace layout;

namespace {

// The first unsupported incompatible feature in `bits`, named for the mount error.
const char* incompat_reason(uint32_t bits)
{
    if (bits & kIncompatCompression) return "unsupported feature: compression";
    if (bits & kIncompatRecover) return "unsupported feature: the journal needs recovery";
    if (bits & kIncompatJournalDev) return "unsupported feature: external journal device";
    if (bits & kIncompatMetaBg) return "unsupported feature: meta_bg";
    if (bits & kIncompatExtents) return "unsupported feature: extents (ext4)";
    if (bits & kIncompat64bit) return "unsupported feature: 64-bit block numbers (ext4)";
    if (bits & kIncompatFlexBg) return "unsupported feature: flex_bg (ext4)";
    if (bits & kIncompatInlineData) return "unsupported feature: inline data (ext4)";
    return "unsupported feature: unknown incompatible feature";
}

bool is_power_of_two(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

uint64_t divide_round_up(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

} // namespace

Result<void> Filesystem::read_disk_block(uint32_t block, uint8_t* buffer)
{
    // Every caller has checked `block` against blocks_count, which mount() checked against the
    // device; a failure here is the device's own (a driver that died, a failed sector).
    Result<void> r = m_device->read_block(block, m_geometry.block_size, buffer);
    if (r.is_error()) return fail(r.error(), "block device read failed");
    return {};
}

Result<void> Filesystem::check_superblock(const uint8_t* sb, uint64_t device_bytes)
{
    Geometry& g = m_geometry;

    // (1) Identity: magic and revision decide how the rest is laid out.
    if (load_u16(sb + s_magic) != kMagic) return fail(Error::BadFormat, "bad magic number");
    g.revision = load_u32(sb + s_rev_level);
    if (g.revision > kRevisionDynamic) return fail(Error::BadFormat, "unknown revision level");

    // (2) Sizes: the block size, and groups whose bitmaps each fit in one block.
    uint32_t log_block_size = load_u32(sb + s_log_block_size);
    if (log_block_size > 2) return fail(Error::BadFormat, "block size is over 4096");
    g.block_size = kMinBlockSize << log_block_size;
    g.pointers_per_block = g.block_size / 4;
    g.blocks_per_group = load_u32(sb + s_blocks_per_group);
    g.inodes_per_group = load_u32(sb + s_inodes_per_group);
    if (g.blocks_per_group == 0) return fail(Error::BadFormat, "blocks per group is zero");
    if (g.inodes_per_group == 0) return fail(Error::BadFormat, "inodes per group is zero");
    if (g.blocks_per_group > 8 * g.block_size)
        return fail(Error::BadFormat, "blocks per group exceed one bitmap block");
    if (g.inodes_per_group > 8 * g.block_size)
        return fail(Error::BadFormat, "inodes per group exceed one bitmap block");

    // (3) Inodes: revision 0 fixes their size and the first usable number.
    g.inode_size = kGoodOldInodeSize;
    g.first_inode = kGoodOldFirstInode;
    if (g.revision == kRevisionDynamic) {
        g.inode_size = load_u16(sb + s_inode_size);
        g.first_inode = load_u32(sb + s_first_ino);
        if (g.inode_size < kGoodOldInodeSize) return fail(Error::BadFormat, "inode size is under 128");
        if (!is_power_of_two(g.inode_size))
            return fail(Error::BadFormat, "inode size is not a power of two");
        if (g.inode_size > g.block_size)
            return fail(Error::BadFormat, "inode size exceeds the block size");
        if (g.first_inode < kGoodOldFirstInode)
            return fail(Error::BadFormat, "first inode number is under 11");
    }

    // (4) Extent: the superblock sits in the first data block, and every block is on the device.
    g.first_data_block = load_u32(sb + s_first_data_block);
    g.blocks_count = load_u32(sb + s_blocks_count);
    if (g.first_data_block != (g.block_size == kMinBlockSize ? 1u : 0u))
        return fail(Error::BadFormat, "first data block does not match the block size");
    if (g.blocks_count <= g.first_data_block)
        return fail(Error::BadFormat, "block count does not exceed the first data block");
    if (g.blocks_count > device_bytes / g.block_size)
        return fail(Error::BadFormat, "file system is larger than the device");

    // (5) Groups: their count follows from the block count, and fixes the inode count.
    uint64_t groups = divide_round_up(g.blocks_count - g.first_data_block, g.blocks_per_group);
    g.group_count = uint32_t(groups);
    g.inodes_count = load_u32(sb + s_inodes_count);
    if (uint64_t(g.inodes_count) != groups * g.inodes_per_group)
        return fail(Error::BadFormat, "inode count disagrees with the groups");
    if (g.inodes_count < g.first_inode)
        return fail(Error::BadFormat, "inode count is below the first inode");
    g.inode_table_blocks =
        uint32_t(divide_round_up(uint64_t(g.inodes_per_group) * g.inode_size, g.block_size));
    g.group_table_block = g.first_data_block + 1;
    g.group_table_blocks = uint32_t(divide_round_up(groups * kGroupDescriptorSize, g.block_size));
    if (uint64_t(g.group_table_block) + g.group_table_blocks > g.blocks_count)
        return fail(Error::BadFormat, "group descriptor table is outside the file system");

    // (6) Features: an unknown incompatible one refuses the mount; an unknown read-only one
    // allows reading but forbids writing.
    g.feature_compat = load_u32(sb + s_feature_compat);
    g.feature_incompat = g.revision == kRevisionDynamic ? load_u32(sb + s_feature_incompat) : 0;
    g.feature_ro_compat = g.revision == kRevisionDynamic ? load_u32(sb + s_feature_ro_compat) : 0;
    if (g.feature_incompat & ~kIncompatSupported)
        return fail(Error::BadFormat, incompat_reason(g.feature_incompat & ~kIncompatSupported));
    m_read_only = (g.feature_ro_compat & ~kRoCompatSupported) != 0;

    // Bytes reachable through 12 direct pointers and three levels of indirection.
    uint64_t p = g.pointers_per_block;
    g.max_file_size = (kDirectBlocks + p + p * p + p * p * p) * g.block_size;
    return {};
}

Result<void> Filesystem::mount(BlockDevice& device)
{
    m_device = nullptr;
    m_geometry = {};
    m_read_only = false;
    m_why = "";

    // (1) The superblock: 1024 bytes at byte 1024, read as the second 1 KiB block.
    uint64_t device_bytes = device.size_bytes();
    if (device_bytes < kSuperblockOffset + kSuperblockSize)
        return fail(Error::BadFormat, "device is too small for a superblock");
    Result<void> r = device.read_block(kSuperblockOffset / kSuperblockSize, kSuperblockSize, m_scratch);
    if (r.is_error()) return fail(r.error(), "block device read failed");
    m_device = &device;
    Result<void> checked = check_superblock(m_scratch, device_bytes);
    if (checked.is_error()) {
        m_device = nullptr;
        return checked.error();
    }

    // (2) Every group descriptor, so damage there refuses the mount instead of surfacing later.
    // (3) The root inode, which every path starts from.
    for (uint32_t group = 0; group < m_geometry.group_count; ++group) {
        Result<GroupDescriptor> descriptor = read_group(group);
        if (descriptor.is_error()) {
            m_device = nullptr;
            return descriptor.error();
        }
    }
    Result<Inode> root = read_inode(kRootInode);
    Error error = root.is_error() ? root.error()
                  : root.value().is_directory() ? Error::None
                  : fail(Error::BadFormat, "root inode is not a directory");
    if (error != Error::None) {
        m_device = nullptr;
        return error;
    }
    m_why = "";
    return {};
}

Result<GroupDescriptor> Filesystem::read_group(uint32_t group)
{
    if (m_device == nullptr) return fail(Error::InvalidArgument, "file system is not mounted");
    if (group >= m_geometry.group_count)
        return fail(Error::InvalidArgument, "group number exceeds the group count");

    // The table was checked at mount to lie inside the file system, so this block does too.
    uint64_t byte = uint64_t(group) * kGroupDescriptorSize;
    TRY(read_disk_block(uint32_t(m_geometry.group_table_block + byte / m_geometry.block_size), m_scratch));
    const uint8_t* d = m_scratch + byte % m_geometry.block_size;

    GroupDescriptor out;
    out.block_bitmap = load_u32(d + bg_block_bitmap);
    out.inode_bitmap = load_u32(d + bg_inode_bitmap);
    out.inode_table = load_u32(d + bg_inode_table);
    out.free_blocks = load_u16(d + bg_free_blocks_count);
    out.free_inodes = load_u16(d + bg_free_inodes_count);
    out.used_dirs = load_u16(d + bg_used_dirs_count);

    // Re-checked on every read, not only at mount: the block came from the disk again.
    if (!block_in_range(out.block_bitmap))
        return fail(Error::BadFormat, "block bitmap is outside the file system");
    if (!block_in_range(out.inode_bitmap))
        return fail(Error::BadFormat, "inode bitmap is outside the file system");
    if (!block_in_range(out.inode_table) ||
        uint64_t(out.inode_table) + m_geometry.inode_table_blocks > m_geometry.blocks_count)
        return fail(Error::BadFormat, "inode table is outside the file system");
    return out;
}

} // namespace ext2
