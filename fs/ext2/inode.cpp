/// \file inode.cpp
/// \brief Inodes: reading one from its group's table, mapping file blocks through indirect blocks, reading data.
#include "ext2/ext2.hpp"
#include "ext2/layout.hpp"
#include "lib/string.hpp"

namespace ext2 {

using namespace layout;

FileType Inode::type() const
{
    switch (mode & kModeTypeMask) {
    case kModeRegular: return FileType::Regular;
    case kModeDirectory: return FileType::Directory;
    case kModeCharDevice: return FileType::CharDevice;
    case kModeBlockDevice: return FileType::BlockDevice;
    case kModeFifo: return FileType::Fifo;
    case kModeSocket: return FileType::Socket;
    case kModeSymlink: return FileType::Symlink;
    default: return FileType::Unknown;
    }
}

bool Inode::is_inline_symlink(uint32_t block_size) const
{
    // As Linux's ext2_inode_is_fast_symlink(): a short target and no data block, the only
    // allocated block being an extended-attribute block if there is one.
    uint32_t attribute_sectors = file_acl != 0 ? block_size / 512 : 0;
    return type() == FileType::Symlink && size < kInlineSymlinkMax && sectors == attribute_sectors;
}

Result<BlockPath> block_path(uint64_t file_block, uint32_t pointers_per_block)
{
    // LAB 5 BEGIN SOLUTION
    // LAB 5 STUB: (void)file_block, (void)pointers_per_block;
    // LAB 5 STUB: return Error::InvalidArgument;
    // Each level covers p times as many blocks as the one before: 12, p, p^2, p^3. Indexes are
    // written most significant first, as the walk from i_block down needs them.
    uint64_t p = pointers_per_block;
    BlockPath path = {};
    if (file_block < kDirectBlocks) {
        path.depth = 1;
        path.index[0] = uint32_t(file_block);
        return path;
    }
    file_block -= kDirectBlocks;
    uint64_t span = p;
    for (uint32_t level = 1; level <= 3; ++level) {
        if (file_block < span) {
            path.depth = level + 1;
            path.index[0] = kDirectBlocks + level - 1;
            for (uint32_t i = level; i >= 1; --i) {
                path.index[i] = uint32_t(file_block % p);
                file_block /= p;
            }
            return path;
        }
        file_block -= span;
        span *= p;
    }
    return Error::InvalidArgument;
    // LAB 5 END SOLUTION
}

Result<Inode> Filesystem::read_inode(uint32_t number)
{
    return read_inode_slot(number, false);
}

Result<Inode> Filesystem::read_inode_slot(uint32_t number, bool unlinked_ok)
{
    const Geometry& g = m_geometry;
    if (m_device == nullptr) return fail(Error::InvalidArgument, "file system is not mounted");
    if (number == 0) return fail(Error::InvalidArgument, "inode number 0 is reserved");
    if (number > g.inodes_count)
        return fail(Error::InvalidArgument, "inode number exceeds the inode count");

    // (1) Which group's table holds it, and where in that table (read_group checked the table
    // lies in the file system, so the block computed here does too).
    uint32_t group = (number - 1) / g.inodes_per_group;
    uint64_t byte = uint64_t((number - 1) % g.inodes_per_group) * g.inode_size;
    GroupDescriptor descriptor = TRY(read_group(group));
    TRY(read_disk_block(uint32_t(descriptor.inode_table + byte / g.block_size), m_scratch));
    const uint8_t* raw = m_scratch + byte % g.block_size;

    // (2) The fields.
    Inode inode;
    inode.number = number;
    inode.mode = load_u16(raw + i_mode);
    inode.uid = load_u16(raw + i_uid);
    inode.gid = load_u16(raw + i_gid);
    inode.links = load_u16(raw + i_links_count);
    inode.size = load_u32(raw + i_size);
    inode.sectors = load_u32(raw + i_blocks);
    inode.flags = load_u32(raw + i_flags);
    inode.atime = load_u32(raw + i_atime);
    inode.ctime = load_u32(raw + i_ctime);
    inode.mtime = load_u32(raw + i_mtime);
    inode.dtime = load_u32(raw + i_dtime);
    inode.file_acl = load_u32(raw + i_file_acl);
    for (uint32_t i = 0; i < kBlockPointers; ++i) inode.block[i] = load_u32(raw + i_block + 4 * i);
    if (inode.type() == FileType::Regular && (g.feature_ro_compat & kRoCompatLargeFile))
        inode.size |= uint64_t(load_u32(raw + i_size_high)) << 32;

    // (3) The checks: an inode in use, of a known type, whose blocks this code knows how to find.
    // An inode without links is free, unless it was unlinked while open (OpenInodes): then it
    // lives on, unnamed, until its last close.
    if (inode.links == 0 && !unlinked_ok && !(m_open != nullptr && m_open->is_open(number)))
        return fail(Error::BadFormat, "inode is not in use");
    if (inode.type() == FileType::Unknown) return fail(Error::BadFormat, "inode has an unknown file type");
    if (inode.flags & kInodeFlagExtents) return fail(Error::BadFormat, "inode uses extents");
    if (inode.flags & kInodeFlagInlineData) return fail(Error::BadFormat, "inode uses inline data");
    if (inode.size > g.max_file_size)
        return fail(Error::BadFormat, "inode size exceeds the largest mappable file");
    if (inode.is_directory()) {
        // A directory has no holes, so it cannot be bigger than the file system; this also
        // bounds every scan of it by the size of the device.
        if (inode.size % g.block_size != 0)
            return fail(Error::BadFormat, "directory size is not a multiple of the block size");
        if (inode.size / g.block_size > g.blocks_count)
            return fail(Error::BadFormat, "directory is larger than the file system");
    }
    return inode;
}

Result<uint32_t> Filesystem::map_block(const Inode& inode, uint64_t file_block)
{
    if (m_device == nullptr) return fail(Error::InvalidArgument, "file system is not mounted");
    // LAB 5 BEGIN SOLUTION
    // LAB 5 STUB: (void)inode, (void)file_block;
    // LAB 5 STUB: return fail(Error::InvalidArgument, "map_block is not written yet (lab 5)");
    Result<BlockPath> path = block_path(file_block, m_geometry.pointers_per_block);
    if (path.is_error())
        return fail(Error::InvalidArgument, "file block is beyond the triple-indirect range");

    // Walk from i_block down the indirect blocks. A zero pointer at any level is a hole; any
    // other pointer must name a block inside the file system before it is read or returned.
    uint32_t block = inode.block[path.value().index[0]];
    for (uint32_t level = 1; level < path.value().depth; ++level) {
        if (block == 0) return 0u;
        if (!block_in_range(block))
            return fail(Error::BadFormat, "indirect block pointer is outside the file system");
        TRY(read_disk_block(block, m_scratch));
        block = load_u32(m_scratch + 4 * path.value().index[level]);
    }
    if (block != 0 && !block_in_range(block))
        return fail(Error::BadFormat, "data block pointer is outside the file system");
    return block;
    // LAB 5 END SOLUTION
}

Result<void> Filesystem::read_file_block(const Inode& inode, uint64_t file_block, uint8_t* buffer)
{
    uint32_t block = TRY(map_block(inode, file_block));
    if (block == 0) {
        for (uint32_t i = 0; i < m_geometry.block_size; ++i) buffer[i] = 0;
        return {};
    }
    return read_disk_block(block, buffer);
}

Result<size_t> Filesystem::read(const Inode& inode, uint64_t offset, uint8_t* buffer, size_t length)
{
    if (m_device == nullptr) return fail(Error::InvalidArgument, "file system is not mounted");
    if (offset >= inode.size) return size_t(0);
    if (length > inode.size - offset) length = size_t(inode.size - offset);

    // A short symlink's target is the bytes of i_block itself, little-endian as on the disk.
    if (inode.is_inline_symlink(m_geometry.block_size)) {
        for (size_t i = 0; i < length; ++i) {
            uint64_t at = offset + i;
            buffer[i] = uint8_t(inode.block[at / 4] >> (8 * (at % 4)));
        }
        return length;
    }

    // Block by block through the scratch buffer: map_block finishes with the scratch before
    // read_file_block fills it with the data.
    size_t done = 0;
    uint32_t block_size = m_geometry.block_size;
    while (done < length) {
        uint64_t at = offset + done;
        uint32_t within = uint32_t(at % block_size);
        size_t chunk = block_size - within;
        if (chunk > length - done) chunk = length - done;
        TRY(read_file_block(inode, at / block_size, m_scratch));
        memcpy(buffer + done, m_scratch + within, chunk);
        done += chunk;
    }
    return done;
}

} // namespace ext2
